/* SPDX-License-Identifier: MIT */
/*
 * dmae/export.h - symbol visibility for the dmae library.
 *
 * Included by every installed dmae header; nobody includes it directly.
 * The shared library is built with -fvisibility=hidden, so only symbols
 * marked DMAE_API are exported, and its linker version script
 * (cmake/dmae.map) lets out only the dmae_ API and the two dmae__
 * functions that macros and inline functions of these headers call
 * (dmae__might_sleep, dmae__fp_check): ABI, never to be called by name.
 */
#ifndef DMAE_EXPORT_H
#define DMAE_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define DMAE_API __attribute__((visibility("default")))
#else
#define DMAE_API
#endif

#ifdef __cplusplus
#define DMAE_BEGIN_DECLS extern "C" {
#define DMAE_END_DECLS }
#else
#define DMAE_BEGIN_DECLS
#define DMAE_END_DECLS
#endif

#endif /* DMAE_EXPORT_H */
