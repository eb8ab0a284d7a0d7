/* SPDX-License-Identifier: MIT */
/*
 * dmae/error.h - error codes.
 *
 * Included by clients and providers (through dmae.h / provider.h).
 *
 * Every dmae function that can fail returns a negative errno value from
 * <errno.h>; 0 (or a positive count / cookie where documented) means
 * success.  DMAE_ERRNO_TABLE is the single list of codes the library
 * uses; dmae_strerror() and dmae_errname() are generated from it.
 */
#ifndef DMAE_ERROR_H
#define DMAE_ERROR_H

#include <errno.h>

/*
 * A C library without Linux's error numbers (newlib's, on a
 * microcontroller, has ESHUTDOWN only as a Linux extension) gets the
 * value newlib gives it there.
 */
#ifndef ESHUTDOWN
#define ESHUTDOWN 110
#endif

#include <dmae/export.h>

DMAE_BEGIN_DECLS

/* X(name, message): every errno dmae returns, with what it means here. */
#define DMAE_ERRNO_TABLE(X)                                                   \
	X(EINVAL, "invalid argument")                                         \
	X(ENOMEM, "out of memory")                                            \
	X(ENOSPC, "descriptor pool or ring is full")                          \
	X(EBUSY, "resource busy")                                             \
	X(ENODEV, "no such channel or device")                                \
	X(ENOENT, "no such entry")                                            \
	X(EEXIST, "entry already exists")                                     \
	X(EOPNOTSUPP, "operation not supported by this channel")              \
	X(EBADF, "channel or descriptor not in a usable state")               \
	X(EALREADY, "operation already done")                                 \
	X(EDEADLK, "operation would deadlock")                                \
	X(ETIMEDOUT, "timed out")                                             \
	X(EAGAIN, "try again")                                                \
	X(EIO, "transfer failed")                                             \
	X(EPERM, "operation not permitted in this context")                   \
	X(ERANGE, "value out of range")                                       \
	X(ECANCELED, "operation canceled")                                    \
	X(ESHUTDOWN, "library not initialised or shutting down")

/**
 * dmae_strerror() - human readable text for a dmae error code.
 * @err: a negative (or positive) errno value.
 *
 * Context: any.  Never returns NULL.
 */
DMAE_API const char *dmae_strerror(int err);

/**
 * dmae_errname() - symbolic name ("EINVAL") of an error code.
 * @err: a negative (or positive) errno value.
 *
 * Context: any.  Returns "E?" for codes outside DMAE_ERRNO_TABLE.
 */
DMAE_API const char *dmae_errname(int err);

DMAE_END_DECLS

#endif /* DMAE_ERROR_H */
