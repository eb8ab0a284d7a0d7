/* SPDX-License-Identifier: MIT */
/*
 * dmae/version.h - the library's version.
 *
 * Included by clients (dmae.h includes it).  This file is the one place
 * the version is kept: CMake reads the three numbers below for project(),
 * the shared library's SONAME (libdmae.so.MAJOR) and dmae.pc.
 *
 * DMAE_VERSION_* say what a program was compiled against; dmae_version()
 * and dmae_version_number() say what it runs against.
 */
#ifndef DMAE_VERSION_H
#define DMAE_VERSION_H

#include <dmae/export.h>

#define DMAE_VERSION_MAJOR 0
#define DMAE_VERSION_MINOR 1
#define DMAE_VERSION_PATCH 0

#define DMAE__STR(x) #x
#define DMAE__XSTR(x) DMAE__STR(x)
/* "MAJOR.MINOR.PATCH" */
#define DMAE_VERSION_STRING                                                   \
	DMAE__XSTR(DMAE_VERSION_MAJOR) "." DMAE__XSTR(DMAE_VERSION_MINOR) "." \
	DMAE__XSTR(DMAE_VERSION_PATCH)
/* MAJOR * 10000 + MINOR * 100 + PATCH: compare with < and >= */
#define DMAE_VERSION_NUMBER                                                   \
	(DMAE_VERSION_MAJOR * 10000 + DMAE_VERSION_MINOR * 100 +              \
	 DMAE_VERSION_PATCH)

DMAE_BEGIN_DECLS

/*
 * dmae_version() - the version of the library in use, "MAJOR.MINOR.PATCH".
 * Context: any (a constant string; needs no dmae_init()).  Never fails.
 */
DMAE_API const char *dmae_version(void);

/*
 * dmae_version_number() - the same as DMAE_VERSION_NUMBER of the library
 * in use.  Context: any (needs no dmae_init()).  Never fails.
 */
DMAE_API unsigned int dmae_version_number(void);

DMAE_END_DECLS

#endif /* DMAE_VERSION_H */
