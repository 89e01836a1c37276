/* status.c - names for the codes of status.h. */
#include "status.h"

const char *cl_status_name(cl_status st)
{
    switch (st) {
    case CL_OK: return "ok";
    case CL_MODIFIED: return "database modified";
    case CL_LOCKED: return "database locked";
    case CL_NOTFOUND: return "not found";
    case CL_CORRUPT: return "corrupt";
    case CL_INVALID: return "invalid argument";
    case CL_NOMEM: return "out of memory";
    case CL_IO: return "I/O error";
    case CL_VERSION: return "unsupported version";
    case CL_INTERRUPTED: return "interrupted";
    case CL_ERROR: return "error";
    }
    return "unknown status";
}
