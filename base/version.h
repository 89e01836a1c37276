/* version.h - the version of clausal's programs, which --version prints. */
#ifndef CLAUSAL_VERSION_H
#define CLAUSAL_VERSION_H

#define CLAUSAL_VERSION "0.3"

#endif
