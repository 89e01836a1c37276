/* xsh.cc - the shim: clausal's C API (xsh.h) implemented over Xapian 1.4.
 *
 * The only C++ in the tree.  Every exported function is extern "C" and
 * wraps its body in try/catch(...); the one classifier, fail_current(),
 * rethrows the exception in flight and maps it to a cl_status, copying
 * the message into *err inside the catch clause.  Nothing here prints,
 * logs, exits or keeps global state.
 *
 * Handles are plain structs around Xapian's reference-counted objects.
 * A search result (xsh_mset) keeps its own copy of the Database and the
 * Enquire, so hits stay readable after xsh_close() of a reader; closing a
 * writer closes its Xapian database for every copy (Database::close()).
 */
#include "xsh.h"

#include <xapian.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iterator>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

/* Xapian's (glass) limit on the length of a term, in bytes. */
#define XSH_MAX_TERM 245

struct xsh_db {
    Xapian::Database *db = nullptr;         /* the database, reader or writer */
    Xapian::WritableDatabase *wdb = nullptr; /* == db for a writer, else NULL */
    bool in_tx = false;                     /* a transaction was begun, not ended */
};

struct xsh_doc {
    Xapian::Document doc;
};

struct xsh_query {
    Xapian::Query q;
};

struct xsh_mset {
    /* Members are destroyed in reverse order: the Enquire goes before the
     * match spy it points to. */
    Xapian::Database db;
    std::unique_ptr<Xapian::ValueCountMatchSpy> spy;
    std::unique_ptr<Xapian::MultiValueKeyMaker> keymaker;
    Xapian::Enquire enq;
    Xapian::MSet mset;
    std::string buf; /* bytes lent by xsh_mset_data / xsh_mset_value */

    explicit xsh_mset(const Xapian::Database &d) : db(d), enq(db) {}
};

/* ---- errors ----------------------------------------------------------- */

/* Store a copy of msg in *err (freeing the previous one).  Never throws;
 * when malloc fails *err is left NULL and the status stays right. */
static void set_err(char **err, const char *msg, size_t len)
{
    if (!err)
        return;
    std::free(*err);
    *err = static_cast<char *>(std::malloc(len + 1));
    if (*err) {
        std::memcpy(*err, msg, len);
        (*err)[len] = '\0';
    }
}

static void set_err(char **err, const char *msg)
{
    set_err(err, msg, std::strlen(msg));
}

static cl_status fail(char **err, cl_status st, const char *msg)
{
    set_err(err, msg);
    return st;
}

static cl_status xapian_fail(char **err, cl_status st, const Xapian::Error &e)
{
    try {
        std::string d = e.get_description();
        set_err(err, d.data(), d.size());
    } catch (...) {
        set_err(err, e.get_type()); /* a static string: needs no copy */
    }
    return st;
}

static bool path_missing(const char *path)
{
    struct stat st;
    return path && stat(path, &st) != 0 && errno == ENOENT;
}

/* The one classifier: call only inside a catch clause.  `path` (may be
 * NULL) is the database path of an open, so that an opening error on a
 * path that does not exist reads as CL_NOTFOUND. */
static cl_status fail_current(char **err, const char *path = NULL)
{
    try {
        throw;
    } catch (const Xapian::DatabaseModifiedError &e) {
        return xapian_fail(err, CL_MODIFIED, e);
    } catch (const Xapian::DatabaseLockError &e) {
        return xapian_fail(err, CL_LOCKED, e);
    } catch (const Xapian::DatabaseNotFoundError &e) {
        return xapian_fail(err, CL_NOTFOUND, e);
    } catch (const Xapian::DocNotFoundError &e) {
        return xapian_fail(err, CL_NOTFOUND, e);
    } catch (const Xapian::DatabaseCorruptError &e) {
        return xapian_fail(err, CL_CORRUPT, e);
    } catch (const Xapian::DatabaseVersionError &e) {
        return xapian_fail(err, CL_VERSION, e);
    } catch (const Xapian::DatabaseOpeningError &e) {
        if (path_missing(path))
            return xapian_fail(err, CL_NOTFOUND, e);
        return xapian_fail(err, e.get_error_string() ? CL_IO : CL_ERROR, e);
    } catch (const Xapian::InvalidArgumentError &e) {
        return xapian_fail(err, CL_INVALID, e);
    } catch (const Xapian::InvalidOperationError &e) {
        return xapian_fail(err, CL_INVALID, e);
    } catch (const Xapian::QueryParserError &e) {
        return xapian_fail(err, CL_INVALID, e);
    } catch (const Xapian::WildcardError &e) {
        return xapian_fail(err, CL_INVALID, e);
    } catch (const Xapian::UnimplementedError &e) {
        return xapian_fail(err, CL_INVALID, e);
    } catch (const Xapian::RangeError &e) {
        return xapian_fail(err, CL_INVALID, e);
    } catch (const Xapian::DatabaseError &e) {
        /* create errors, closed databases, low-level failures: an OS
         * error behind it makes it I/O. */
        return xapian_fail(err, e.get_error_string() ? CL_IO : CL_ERROR, e);
    } catch (const Xapian::Error &e) {
        return xapian_fail(err, CL_ERROR, e);
    } catch (const std::bad_alloc &) {
        return fail(err, CL_NOMEM, "out of memory");
    } catch (const std::exception &e) {
        return fail(err, CL_ERROR, e.what());
    } catch (...) {
        return fail(err, CL_ERROR, "unknown C++ exception");
    }
}

/* ---- small helpers ----------------------------------------------------- */

/* Bytes (p, len) as a std::string; p may be NULL only when len is 0. */
static std::string bytes(const char *p, size_t len)
{
    return len ? std::string(p, len) : std::string();
}

/* Checks shared by every call that takes a term. */
static cl_status check_term(const char *term, size_t len, char **err)
{
    if (!term && len)
        return fail(err, CL_INVALID, "NULL term with non-zero length");
    if (len > XSH_MAX_TERM)
        return fail(err, CL_INVALID, "term longer than 245 bytes (Xapian's limit)");
    return CL_OK;
}

static cl_status check_bytes(const char *p, size_t len, char **err)
{
    if (!p && len)
        return fail(err, CL_INVALID, "NULL pointer with non-zero length");
    return CL_OK;
}

static cl_status check_db(const xsh_db *db, char **err)
{
    if (!db)
        return fail(err, CL_INVALID, "NULL database");
    return CL_OK;
}

static cl_status check_writer(const xsh_db *db, char **err)
{
    if (!db)
        return fail(err, CL_INVALID, "NULL database");
    if (!db->wdb)
        return fail(err, CL_INVALID, "database is open read-only");
    return CL_OK;
}

/* malloc'ed, NUL-terminated copy of s; NULL when out of memory. */
static char *dup_string(const std::string &s)
{
    char *p = static_cast<char *>(std::malloc(s.size() + 1));
    if (p) {
        std::memcpy(p, s.data(), s.size());
        p[s.size()] = '\0';
    }
    return p;
}

static cl_status new_query(const Xapian::Query &q, xsh_query **out)
{
    *out = new xsh_query{q};
    return CL_OK;
}

extern "C" {

/* ---- databases --------------------------------------------------------- */

cl_status xsh_open_read(const char *path, xsh_db **out, char **err)
{
    if (!out)
        return fail(err, CL_INVALID, "NULL out pointer");
    *out = NULL;
    if (!path)
        return fail(err, CL_INVALID, "NULL path");
    xsh_db *h = NULL;
    try {
        h = new xsh_db();
        h->db = new Xapian::Database(path);
        *out = h;
        return CL_OK;
    } catch (...) {
        delete h;
        return fail_current(err, path);
    }
}

cl_status xsh_open_write(const char *path, int mode, xsh_db **out, char **err)
{
    if (!out)
        return fail(err, CL_INVALID, "NULL out pointer");
    *out = NULL;
    if (!path)
        return fail(err, CL_INVALID, "NULL path");
    int flags;
    switch (mode) {
    case XSH_CREATE_OR_OPEN: flags = Xapian::DB_CREATE_OR_OPEN; break;
    case XSH_CREATE_OR_OVERWRITE: flags = Xapian::DB_CREATE_OR_OVERWRITE; break;
    case XSH_OPEN: flags = Xapian::DB_OPEN; break;
    default: return fail(err, CL_INVALID, "unknown open mode");
    }
    xsh_db *h = NULL;
    try {
        h = new xsh_db();
        h->wdb = new Xapian::WritableDatabase(path, flags);
        h->db = h->wdb;
        *out = h;
        return CL_OK;
    } catch (...) {
        delete h;
        return fail_current(err, path);
    }
}

cl_status xsh_reopen(xsh_db *db, char **err)
{
    if (check_db(db, err))
        return CL_INVALID;
    try {
        db->db->reopen();
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_commit(xsh_db *db, char **err)
{
    if (check_writer(db, err))
        return CL_INVALID;
    try {
        db->wdb->commit();
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_tx_begin(xsh_db *db, char **err)
{
    if (check_writer(db, err))
        return CL_INVALID;
    try {
        db->wdb->begin_transaction(true);
        db->in_tx = true;
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_tx_commit(xsh_db *db, char **err)
{
    if (check_writer(db, err))
        return CL_INVALID;
    try {
        db->wdb->commit_transaction();
        db->in_tx = false;
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_tx_cancel(xsh_db *db, char **err)
{
    if (check_writer(db, err))
        return CL_INVALID;
    try {
        db->wdb->cancel_transaction();
        db->in_tx = false;
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

void xsh_close(xsh_db *db)
{
    if (!db)
        return;
    if (db->wdb) {
        /* Drop an open transaction first: close() would otherwise be the
         * one to decide, and an error there must not escape. */
        if (db->in_tx) {
            try {
                db->wdb->cancel_transaction();
            } catch (...) {
            }
        }
        /* Commits pending changes and releases the lock now, even if an
         * mset still shares this database. */
        try {
            db->wdb->close();
        } catch (...) {
        }
    }
    delete db->db;
    delete db;
}

cl_status xsh_doccount(xsh_db *db, unsigned *n, char **err)
{
    if (n)
        *n = 0;
    if (check_db(db, err))
        return CL_INVALID;
    if (!n)
        return fail(err, CL_INVALID, "NULL out pointer");
    try {
        *n = db->db->get_doccount();
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_termfreq(xsh_db *db, const char *term, size_t len, unsigned *n, char **err)
{
    if (n)
        *n = 0;
    if (check_db(db, err))
        return CL_INVALID;
    if (!n)
        return fail(err, CL_INVALID, "NULL out pointer");
    if (cl_status st = check_term(term, len, err))
        return st;
    try {
        *n = db->db->get_termfreq(bytes(term, len));
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_get_metadata(xsh_db *db, const char *key, size_t klen, char **val, size_t *vlen,
                           char **err)
{
    if (val)
        *val = NULL;
    if (vlen)
        *vlen = 0;
    if (check_db(db, err))
        return CL_INVALID;
    if (!val || !vlen)
        return fail(err, CL_INVALID, "NULL out pointer");
    if (cl_status st = check_bytes(key, klen, err))
        return st;
    try {
        std::string v = db->db->get_metadata(bytes(key, klen));
        if (v.empty())
            return CL_OK;
        char *p = dup_string(v);
        if (!p)
            return fail(err, CL_NOMEM, "out of memory");
        *val = p;
        *vlen = v.size();
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_set_metadata(xsh_db *db, const char *key, size_t klen, const char *val, size_t vlen,
                           char **err)
{
    if (check_writer(db, err))
        return CL_INVALID;
    if (cl_status st = check_bytes(key, klen, err))
        return st;
    if (cl_status st = check_bytes(val, vlen, err))
        return st;
    try {
        db->wdb->set_metadata(bytes(key, klen), bytes(val, vlen));
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_allterms(xsh_db *db, const char *prefix, size_t plen, xsh_term_cb cb, void *ctx,
                       char **err)
{
    if (check_db(db, err))
        return CL_INVALID;
    if (!cb)
        return fail(err, CL_INVALID, "NULL callback");
    if (cl_status st = check_bytes(prefix, plen, err))
        return st;
    try {
        std::string p = bytes(prefix, plen);
        for (Xapian::TermIterator t = db->db->allterms_begin(p); t != db->db->allterms_end(p);
             ++t) {
            const std::string term = *t;
            if (cb(ctx, term.data(), term.size(), t.get_termfreq()))
                return fail(err, CL_INTERRUPTED, "stopped by the callback");
        }
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_metadata_walk(xsh_db *db, const char *prefix, size_t plen, xsh_kv_cb cb, void *ctx,
                            char **err)
{
    if (check_db(db, err))
        return CL_INVALID;
    if (!cb)
        return fail(err, CL_INVALID, "NULL callback");
    if (cl_status st = check_bytes(prefix, plen, err))
        return st;
    try {
        std::string p = bytes(prefix, plen);
        for (Xapian::TermIterator k = db->db->metadata_keys_begin(p);
             k != db->db->metadata_keys_end(p); ++k) {
            const std::string key = *k;
            const std::string v = db->db->get_metadata(key);
            if (cb(ctx, key.data(), key.size(), v.data(), v.size()))
                return fail(err, CL_INTERRUPTED, "stopped by the callback");
        }
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_postlist(xsh_db *db, const char *term, size_t len, xsh_docid_cb cb, void *ctx,
                       char **err)
{
    if (check_db(db, err))
        return CL_INVALID;
    if (!cb)
        return fail(err, CL_INVALID, "NULL callback");
    if (cl_status st = check_term(term, len, err))
        return st;
    try {
        std::string t = bytes(term, len);
        for (Xapian::PostingIterator p = db->db->postlist_begin(t); p != db->db->postlist_end(t);
             ++p) {
            if (cb(ctx, *p))
                return fail(err, CL_INTERRUPTED, "stopped by the callback");
        }
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_get_data(xsh_db *db, xsh_docid id, char **data, size_t *len, char **err)
{
    if (data)
        *data = NULL;
    if (len)
        *len = 0;
    if (check_db(db, err))
        return CL_INVALID;
    if (!data || !len)
        return fail(err, CL_INVALID, "NULL out pointer");
    try {
        std::string d = db->db->get_document(id).get_data();
        char *p = dup_string(d);
        if (!p)
            return fail(err, CL_NOMEM, "out of memory");
        *data = p;
        *len = d.size();
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

/* ---- documents --------------------------------------------------------- */

xsh_doc *xsh_doc_new(void)
{
    try {
        return new xsh_doc();
    } catch (...) {
        return NULL;
    }
}

void xsh_doc_free(xsh_doc *doc)
{
    delete doc;
}

void xsh_doc_clear(xsh_doc *doc)
{
    if (!doc)
        return;
    try {
        doc->doc = Xapian::Document();
    } catch (...) {
        /* No memory for a fresh one: empty the old one in place. */
        try {
            doc->doc.clear_terms();
            doc->doc.clear_values();
            doc->doc.set_data(std::string());
        } catch (...) {
        }
    }
}

cl_status xsh_doc_add_posting(xsh_doc *doc, const char *term, size_t len, unsigned pos,
                              unsigned wdfinc)
{
    if (!doc)
        return CL_INVALID;
    if (cl_status st = check_term(term, len, NULL))
        return st;
    try {
        doc->doc.add_posting(bytes(term, len), pos, wdfinc);
        return CL_OK;
    } catch (...) {
        return fail_current(NULL);
    }
}

cl_status xsh_doc_add_term(xsh_doc *doc, const char *term, size_t len, unsigned wdfinc)
{
    if (!doc)
        return CL_INVALID;
    if (cl_status st = check_term(term, len, NULL))
        return st;
    try {
        doc->doc.add_term(bytes(term, len), wdfinc);
        return CL_OK;
    } catch (...) {
        return fail_current(NULL);
    }
}

cl_status xsh_doc_add_boolean_term(xsh_doc *doc, const char *term, size_t len)
{
    if (!doc)
        return CL_INVALID;
    if (cl_status st = check_term(term, len, NULL))
        return st;
    try {
        doc->doc.add_boolean_term(bytes(term, len));
        return CL_OK;
    } catch (...) {
        return fail_current(NULL);
    }
}

cl_status xsh_doc_set_value(xsh_doc *doc, unsigned slot, const char *val, size_t len)
{
    if (!doc)
        return CL_INVALID;
    if (cl_status st = check_bytes(val, len, NULL))
        return st;
    try {
        doc->doc.add_value(slot, bytes(val, len));
        return CL_OK;
    } catch (...) {
        return fail_current(NULL);
    }
}

cl_status xsh_doc_set_data(xsh_doc *doc, const char *data, size_t len)
{
    if (!doc)
        return CL_INVALID;
    if (cl_status st = check_bytes(data, len, NULL))
        return st;
    try {
        doc->doc.set_data(bytes(data, len));
        return CL_OK;
    } catch (...) {
        return fail_current(NULL);
    }
}

cl_status xsh_add(xsh_db *db, const xsh_doc *doc, xsh_docid *id, char **err)
{
    if (id)
        *id = 0;
    if (check_writer(db, err))
        return CL_INVALID;
    if (!doc)
        return fail(err, CL_INVALID, "NULL document");
    try {
        Xapian::docid did = db->wdb->add_document(doc->doc);
        if (id)
            *id = did;
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_replace(xsh_db *db, const char *idterm, size_t len, const xsh_doc *doc,
                      char **err)
{
    if (check_writer(db, err))
        return CL_INVALID;
    if (!doc)
        return fail(err, CL_INVALID, "NULL document");
    if (cl_status st = check_term(idterm, len, err))
        return st;
    if (len == 0)
        return fail(err, CL_INVALID, "empty unique term");
    try {
        db->wdb->replace_document(bytes(idterm, len), doc->doc);
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_delete(xsh_db *db, const char *term, size_t len, char **err)
{
    if (check_writer(db, err))
        return CL_INVALID;
    if (cl_status st = check_term(term, len, err))
        return st;
    if (len == 0)
        return fail(err, CL_INVALID, "empty term");
    try {
        db->wdb->delete_document(bytes(term, len));
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

/* ---- queries ----------------------------------------------------------- */

cl_status xsh_q_term(const char *term, size_t len, unsigned wqf, xsh_query **out, char **err)
{
    if (!out)
        return fail(err, CL_INVALID, "NULL out pointer");
    *out = NULL;
    if (cl_status st = check_term(term, len, err))
        return st;
    try {
        return new_query(Xapian::Query(bytes(term, len), wqf), out);
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_q_all(xsh_query **out, char **err)
{
    if (!out)
        return fail(err, CL_INVALID, "NULL out pointer");
    *out = NULL;
    try {
        return new_query(Xapian::Query::MatchAll, out);
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_q_nothing(xsh_query **out, char **err)
{
    if (!out)
        return fail(err, CL_INVALID, "NULL out pointer");
    *out = NULL;
    try {
        return new_query(Xapian::Query(), out);
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_q_combine(int op, xsh_query *const *subs, size_t n, unsigned window,
                        xsh_query **out, char **err)
{
    if (!out)
        return fail(err, CL_INVALID, "NULL out pointer");
    *out = NULL;
    if (n && !subs)
        return fail(err, CL_INVALID, "NULL subquery array");
    for (size_t i = 0; i < n; i++)
        if (!subs[i])
            return fail(err, CL_INVALID, "NULL subquery");
    Xapian::Query::op xop;
    switch (op) {
    case XSH_AND: xop = Xapian::Query::OP_AND; break;
    case XSH_OR: xop = Xapian::Query::OP_OR; break;
    case XSH_AND_NOT: xop = Xapian::Query::OP_AND_NOT; break;
    case XSH_FILTER: xop = Xapian::Query::OP_FILTER; break;
    case XSH_PHRASE: xop = Xapian::Query::OP_PHRASE; break;
    case XSH_NEAR: xop = Xapian::Query::OP_NEAR; break;
    case XSH_AND_MAYBE: xop = Xapian::Query::OP_AND_MAYBE; break;
    case XSH_SYNONYM: xop = Xapian::Query::OP_SYNONYM; break;
    default: return fail(err, CL_INVALID, "unknown query operator");
    }
    try {
        if (n == 0)
            return new_query(Xapian::Query(), out);
        if (n == 1 && op != XSH_SYNONYM)
            return new_query(subs[0]->q, out);
        std::vector<Xapian::Query> v;
        v.reserve(n);
        for (size_t i = 0; i < n; i++)
            v.push_back(subs[i]->q);
        switch (op) {
        case XSH_AND_NOT:
            return new_query(
                Xapian::Query(xop, v[0], Xapian::Query(Xapian::Query::OP_OR, v.begin() + 1, v.end())),
                out);
        case XSH_FILTER:
            return new_query(
                Xapian::Query(xop, v[0], Xapian::Query(Xapian::Query::OP_AND, v.begin() + 1, v.end())),
                out);
        case XSH_PHRASE:
            /* window 0 means "exactly adjacent": a window as wide as the
             * phrase itself. */
            return new_query(Xapian::Query(xop, v.begin(), v.end(),
                                           window ? window : static_cast<Xapian::termcount>(n)),
                             out);
        default:
            return new_query(Xapian::Query(xop, v.begin(), v.end(), window), out);
        }
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_q_scale(const xsh_query *q, double factor, xsh_query **out, char **err)
{
    if (!out)
        return fail(err, CL_INVALID, "NULL out pointer");
    *out = NULL;
    if (!q)
        return fail(err, CL_INVALID, "NULL query");
    try {
        return new_query(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q, factor), out);
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_q_value_range(unsigned slot, const char *lo, size_t lolen, const char *hi,
                            size_t hilen, xsh_query **out, char **err)
{
    if (!out)
        return fail(err, CL_INVALID, "NULL out pointer");
    *out = NULL;
    if (cl_status st = check_bytes(lo, lolen, err))
        return st;
    if (cl_status st = check_bytes(hi, hilen, err))
        return st;
    try {
        /* Xapian reads a missing value as "", which OP_VALUE_GE "" would
         * match: the smallest non-empty string keeps both-open ranges to
         * documents that have a value, as OP_VALUE_LE does. */
        if (hilen == 0)
            return new_query(Xapian::Query(Xapian::Query::OP_VALUE_GE, slot,
                                           lolen ? bytes(lo, lolen) : std::string(1, '\0')),
                             out);
        if (lolen == 0)
            return new_query(Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, bytes(hi, hilen)),
                             out);
        return new_query(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, bytes(lo, lolen),
                                       bytes(hi, hilen)),
                         out);
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_q_wildcard(const char *prefix, size_t len, unsigned max_expansion, xsh_query **out,
                         char **err)
{
    if (!out)
        return fail(err, CL_INVALID, "NULL out pointer");
    *out = NULL;
    if (cl_status st = check_term(prefix, len, err))
        return st;
    try {
        return new_query(Xapian::Query(Xapian::Query::OP_WILDCARD, bytes(prefix, len),
                                       max_expansion, Xapian::Query::WILDCARD_LIMIT_ERROR,
                                       Xapian::Query::OP_SYNONYM),
                         out);
    } catch (...) {
        return fail_current(err);
    }
}

int xsh_q_empty(const xsh_query *q)
{
    return !q || q->q.empty();
}

char *xsh_q_describe(const xsh_query *q)
{
    if (!q)
        return NULL;
    try {
        return dup_string(q->q.get_description());
    } catch (...) {
        return NULL;
    }
}

void xsh_q_free(xsh_query *q)
{
    delete q;
}

/* ---- searching --------------------------------------------------------- */

void xsh_search_opts_init(xsh_search_opts *o)
{
    if (!o)
        return;
    o->bm25_k1 = 1.2;
    o->bm25_b = 0.75;
    o->offset = 0;
    o->count = 10;
    o->check_at_least = 0;
    o->sort = XSH_SORT_RELEVANCE;
    o->sort_slot = 0;
    o->collapse_slot = -1;
    o->facet_slot = -1;
    o->bool_only = 0;
    o->accept = NULL;
    o->accept_ctx = NULL;
    o->sort_missing_last = 0;
}

namespace {
/* Hands each candidate's stored data to the C decider of xsh_search_opts. */
struct CDecider : public Xapian::MatchDecider {
    const xsh_search_opts *o;
    explicit CDecider(const xsh_search_opts *opts) : o(opts) {}
    bool operator()(const Xapian::Document &doc) const
    {
        std::string d = doc.get_data();
        return o->accept(o->accept_ctx, d.data(), d.size()) != 0;
    }
};
} // namespace

cl_status xsh_search(xsh_db *db, const xsh_query *q, const xsh_search_opts *o, xsh_mset **out,
                     char **err)
{
    if (!out)
        return fail(err, CL_INVALID, "NULL out pointer");
    *out = NULL;
    if (check_db(db, err))
        return CL_INVALID;
    if (!q)
        return fail(err, CL_INVALID, "NULL query");
    xsh_search_opts defaults;
    if (!o) {
        xsh_search_opts_init(&defaults);
        o = &defaults;
    }
    if (o->sort != XSH_SORT_RELEVANCE && o->sort != XSH_SORT_VALUE_ASC &&
        o->sort != XSH_SORT_VALUE_DESC)
        return fail(err, CL_INVALID, "unknown sort order");
    xsh_mset *m = NULL;
    try {
        m = new xsh_mset(*db->db);
        m->enq.set_query(q->q);
        if (o->bool_only)
            m->enq.set_weighting_scheme(Xapian::BoolWeight());
        else
            m->enq.set_weighting_scheme(
                Xapian::BM25Weight(o->bm25_k1, 0 /*k2*/, 1 /*k3*/, o->bm25_b, 0.5 /*min_normlen*/));
        if (o->sort != XSH_SORT_RELEVANCE && o->sort_missing_last) {
            /* An empty value takes "\xff" ascending; reversed, Xapian's
             * key for an empty value sorts after every other. */
            m->keymaker.reset(new Xapian::MultiValueKeyMaker());
            bool rev = o->sort == XSH_SORT_VALUE_DESC;
            m->keymaker->add_value(o->sort_slot, rev, rev ? std::string() : std::string("\xff"));
            m->enq.set_sort_by_key_then_relevance(m->keymaker.get(), false);
        } else if (o->sort == XSH_SORT_VALUE_ASC) {
            m->enq.set_sort_by_value_then_relevance(o->sort_slot, false);
        } else if (o->sort == XSH_SORT_VALUE_DESC) {
            m->enq.set_sort_by_value_then_relevance(o->sort_slot, true);
        }
        if (o->collapse_slot >= 0)
            m->enq.set_collapse_key(static_cast<Xapian::valueno>(o->collapse_slot));
        if (o->facet_slot >= 0) {
            m->spy.reset(new Xapian::ValueCountMatchSpy(static_cast<Xapian::valueno>(o->facet_slot)));
            m->enq.add_matchspy(m->spy.get());
        }
        if (o->accept) {
            CDecider decider(o);
            m->mset = m->enq.get_mset(o->offset, o->count, o->check_at_least, NULL, &decider);
        } else {
            m->mset = m->enq.get_mset(o->offset, o->count, o->check_at_least);
        }
        *out = m;
        return CL_OK;
    } catch (...) {
        delete m;
        return fail_current(err);
    }
}

cl_status xsh_compact(const char *const *srcs, size_t n, const char *dest, char **err)
{
    if (!srcs || !n || !dest)
        return fail(err, CL_INVALID, "nothing to compact");
    try {
        Xapian::Database all;
        for (size_t i = 0; i < n; i++) all.add_database(Xapian::Database(srcs[i]));
        all.compact(dest, Xapian::DBCOMPACT_MULTIPASS);
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

namespace {
/* Expand only with plain words: prefixed terms are filters. */
struct NoPrefixed : public Xapian::ExpandDecider {
    bool operator()(const std::string &term) const
    {
        return !term.empty() && !(term[0] >= 'A' && term[0] <= 'Z');
    }
};
} // namespace

cl_status xsh_expand(xsh_db *db, const xsh_query *q, const xsh_search_opts *o, unsigned fb_docs,
                     unsigned n_terms, xsh_match_cb cb, void *ctx, char **err)
{
    if (check_db(db, err))
        return CL_INVALID;
    if (!q || !cb)
        return fail(err, CL_INVALID, "NULL query or callback");
    xsh_search_opts defaults;
    if (!o) {
        xsh_search_opts_init(&defaults);
        o = &defaults;
    }
    try {
        Xapian::Enquire enq(*db->db);
        enq.set_query(q->q);
        enq.set_weighting_scheme(
            Xapian::BM25Weight(o->bm25_k1, 0 /*k2*/, 1 /*k3*/, o->bm25_b, 0.5 /*min_normlen*/));
        Xapian::MSet top = enq.get_mset(0, fb_docs);
        Xapian::RSet rset;
        for (Xapian::MSetIterator it = top.begin(); it != top.end(); ++it) rset.add_document(*it);
        if (rset.empty())
            return CL_OK;
        NoPrefixed decider;
        Xapian::ESet eset = enq.get_eset(n_terms, rset, &decider);
        for (Xapian::ESetIterator it = eset.begin(); it != eset.end(); ++it) {
            std::string t = *it;
            if (cb(ctx, t.data(), t.size(), it.get_weight(), 0))
                return CL_INTERRUPTED;
        }
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

void xsh_mset_free(xsh_mset *m)
{
    delete m;
}

unsigned xsh_mset_size(const xsh_mset *m)
{
    return m ? m->mset.size() : 0;
}

void xsh_mset_counts(const xsh_mset *m, unsigned *lower, unsigned *estimated, unsigned *upper)
{
    unsigned l = 0, e = 0, u = 0;
    if (m) {
        try {
            l = m->mset.get_matches_lower_bound();
            e = m->mset.get_matches_estimated();
            u = m->mset.get_matches_upper_bound();
        } catch (...) {
        }
    }
    if (lower)
        *lower = l;
    if (estimated)
        *estimated = e;
    if (upper)
        *upper = u;
}

static cl_status check_hit(const xsh_mset *m, unsigned i, char **err)
{
    if (!m)
        return fail(err, CL_INVALID, "NULL mset");
    if (i >= m->mset.size())
        return fail(err, CL_INVALID, "hit index out of range");
    return CL_OK;
}

/* Hit i's document, read from the database rather than through the MSet,
 * which would keep every document it hands out until it is freed. */
static Xapian::Document doc_of_hit(const xsh_mset *m, unsigned i)
{
    return m->db.get_document(*m->mset[i]);
}

cl_status xsh_mset_hit(const xsh_mset *m, unsigned i, xsh_hit *hit, char **err)
{
    if (cl_status st = check_hit(m, i, err))
        return st;
    if (!hit)
        return fail(err, CL_INVALID, "NULL out pointer");
    try {
        Xapian::MSetIterator it = m->mset[i];
        hit->docid = *it;
        hit->rank = it.get_rank();
        hit->score = it.get_weight();
        hit->collapse_count = it.get_collapse_count();
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_mset_data(xsh_mset *m, unsigned i, const char **data, size_t *len, char **err)
{
    if (data)
        *data = NULL;
    if (len)
        *len = 0;
    if (cl_status st = check_hit(m, i, err))
        return st;
    if (!data || !len)
        return fail(err, CL_INVALID, "NULL out pointer");
    try {
        m->buf = doc_of_hit(m, i).get_data();
        *data = m->buf.data();
        *len = m->buf.size();
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_mset_value(xsh_mset *m, unsigned i, unsigned slot, const char **val, size_t *len,
                         char **err)
{
    if (val)
        *val = NULL;
    if (len)
        *len = 0;
    if (cl_status st = check_hit(m, i, err))
        return st;
    if (!val || !len)
        return fail(err, CL_INVALID, "NULL out pointer");
    try {
        m->buf = doc_of_hit(m, i).get_value(slot);
        *val = m->buf.data();
        *len = m->buf.size();
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_mset_matching_terms(xsh_mset *m, unsigned i, xsh_match_cb cb, void *ctx,
                                  char **err)
{
    if (cl_status st = check_hit(m, i, err))
        return st;
    if (!cb)
        return fail(err, CL_INVALID, "NULL callback");
    try {
        Xapian::MSetIterator it = m->mset[i];
        for (Xapian::TermIterator t = m->enq.get_matching_terms_begin(it);
             t != m->enq.get_matching_terms_end(it); ++t) {
            const std::string term = *t;
            double w = m->mset.get_termweight(term);
            unsigned tf = m->mset.get_termfreq(term);
            if (cb(ctx, term.data(), term.size(), w, tf))
                return fail(err, CL_INTERRUPTED, "stopped by the callback");
        }
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

cl_status xsh_mset_facets(const xsh_mset *m, xsh_term_cb cb, void *ctx, char **err)
{
    if (!m)
        return fail(err, CL_INVALID, "NULL mset");
    if (!cb)
        return fail(err, CL_INVALID, "NULL callback");
    if (!m->spy)
        return fail(err, CL_INVALID, "search had no facet slot");
    try {
        for (Xapian::TermIterator v = m->spy->values_begin(); v != m->spy->values_end(); ++v) {
            const std::string value = *v;
            if (cb(ctx, value.data(), value.size(), v.get_termfreq()))
                return fail(err, CL_INTERRUPTED, "stopped by the callback");
        }
        return CL_OK;
    } catch (...) {
        return fail_current(err);
    }
}

} /* extern "C" */
