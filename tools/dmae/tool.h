/* SPDX-License-Identifier: MIT */
/*
 * tools/dmae/tool.h - what the subcommands of the dmae command share.
 *
 * Private to tools/dmae/.  main.c dispatches to one cmd_<name>() per
 * subcommand; each lives in its own file and parses its arguments with the
 * table-driven parser of options.c, which also prints --help from the same
 * table.  engine.c brings up and tears down the engines info and test
 * use (swdma and simdmac); output.c says where reports and files go.
 *
 * Exit codes: 0 success, 1 failure (a test failed, a library call failed),
 * 2 usage error (one line on stderr saying what is wrong).
 */
#ifndef DMAE_TOOL_H
#define DMAE_TOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <dmae/dmae.h>
#include <dmae/simdmac.h>
#include <dmae/swdma.h>

#define TOOL_EXIT_OK 0
#define TOOL_EXIT_FAIL 1
#define TOOL_EXIT_USAGE 2

/* ---- subcommands --------------------------------------------------------- */

/*
 * A subcommand.  run() gets argv[0] = the subcommand name and returns the
 * exit code.  To add one: write <name>.c with cmd_<name>(), declare it
 * here, add a line to the table in main.c.
 */
struct tool_cmd {
	const char *name;
	const char *summary;	/* one line for "dmae --help" */
	int (*run)(int argc, char **argv);
};

int cmd_info(int argc, char **argv);
int cmd_test(int argc, char **argv);
int cmd_perf(int argc, char **argv);

/* ---- option parsing (options.c) ------------------------------------------ */

/*
 * One option of a subcommand.  A table ends with a zero entry.  key is
 * what tool_args_next() returns for it; arg names the value in --help
 * (NULL: a flag without value).  help may contain '\n' for more lines.
 */
struct tool_opt {
	const char *name;	/* long name without "--" */
	int key;
	const char *arg;
	const char *help;
};

/* Keys of the options every subcommand shares; subcommands use 1..999. */
enum {
	TOOL_OPT_HELP = 1000,
	TOOL_OPT_CHANS,
	TOOL_OPT_WORKERS,
};

/* Table entries for the shared options; put them at the end of a table. */
#define TOOL_ENGINE_OPTS                                                      \
	{ "chans", TOOL_OPT_CHANS, "N",                                       \
	  "channels of the software engine (1..256,\n"                       \
	  "default 4)" },                                                     \
	{ "workers", TOOL_OPT_WORKERS, "N",                                   \
	  "worker threads of the software engine (1..64,\n"                  \
	  "default 1)" },                                                     \
	{ "help", TOOL_OPT_HELP, NULL, "show this help and exit" }

/* Iterator over a subcommand's argv. */
struct tool_args {
	const char *cmd;		/* "dmae test", for messages */
	const char *usage;		/* "[options]", for --help */
	const char *description;	/* paragraph(s) for --help, or NULL */
	const struct tool_opt *opts;
	int argc;
	char **argv;
	int i;
	const char *opt;		/* "--size" of the current option */
};

void tool_args_init(struct tool_args *a, const char *cmd, int argc, char **argv,
		    const struct tool_opt *opts);

/*
 * Next option: returns its key and stores its value in *val (NULL for a
 * flag); 0 at the end; -1 after printing a usage error (unknown option,
 * missing value, stray argument).  "--name value", "--name=value" and
 * "-h" are understood.
 */
int tool_args_next(struct tool_args *a, const char **val);

/* Print the generated --help text to stdout. */
void tool_args_help(const struct tool_args *a);

/*
 * Print "<cmd>: <current option>: <message>" to stderr.  Returns
 * TOOL_EXIT_USAGE so callers can "return tool_usage_error(...)".
 */
int tool_usage_error(const struct tool_args *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Value parsers.  Each prints a usage error naming the current option and
 * returns -1 when val is not acceptable, 0 otherwise.
 *
 * tool_parse_u64: decimal or 0x-hex integer in [min, max].
 * tool_parse_size: like tool_parse_u64, with an optional K, M or G suffix
 *                  (powers of 1024; "KiB", "kB" also accepted).
 * tool_parse_seconds: a decimal number of seconds > 0, returned in ns.
 */
int tool_parse_u64(const struct tool_args *a, const char *val, uint64_t min,
		   uint64_t max, uint64_t *out);
int tool_parse_size(const struct tool_args *a, const char *val, uint64_t min,
		    uint64_t max, uint64_t *out);
int tool_parse_seconds(const struct tool_args *a, const char *val,
		       uint64_t *out_ns);

/* ---- the engines of info and test (engine.c) ------------------------------ */

struct tool_engine_cfg {
	uint32_t chans;		/* default 4 */
	uint32_t workers;	/* default 1 */
};

#define TOOL_ENGINE_CFG_DEFAULT { 4, 1 }

/*
 * Handle a shared option (TOOL_OPT_CHANS, TOOL_OPT_WORKERS).  Returns 0,
 * or -1 after a usage error.
 */
int tool_engine_opt(struct tool_args *a, struct tool_engine_cfg *cfg, int key,
		    const char *val);

struct tool_engine {
	const char *cmd;		/* for messages */
	bool inited;			/* dmae_init() succeeded */
	struct dmae_swdma *sw;
	struct dmae_simdmac *soc;	/* the simulated controller */
	struct dmae_dev *dev;		/* the "dmae-tool" consumer device */
};

/*
 * dmae_init(), create the software engine, the simulated controller
 * (simdmac) and the "dmae-tool" consumer device.  On failure prints one
 * line, undoes what it did and returns the negative errno.
 */
int tool_engine_open(struct tool_engine *e, const char *cmd,
		     const struct tool_engine_cfg *cfg);

/*
 * Undo tool_engine_open().  Channels must have been released (and other
 * consumer devices destroyed) first.  Returns 0, or -1 if a teardown call
 * failed (already reported).
 */
int tool_engine_close(struct tool_engine *e);

/*
 * Print every provider with its capabilities and every channel with its
 * state, owner, statistics and pool: what "dmae info" shows.  Returns 0 or
 * -1 (reported).
 */
int tool_info_print(const char *cmd);

/* ---- output (output.c) ----------------------------------------------------- */

/*
 * The human-readable report: standard output, or standard error once an
 * output file is "-" (tool_output_path()), so that standard output holds
 * nothing but that file.
 */
extern FILE *tool_report;

/* Point tool_report at standard output; main() calls it first. */
void tool_output_init(void);

/* A --json/--csv/--svg path was given: "-" moves the report to stderr. */
void tool_output_path(const char *path);

/*
 * Open path for writing, "-" meaning standard output.  NULL after
 * printing "<cmd>: <path>: <reason>".
 */
FILE *tool_out_open(const char *cmd, const char *path);

/* Close (or flush standard output); 0, or -1 after printing the failure. */
int tool_out_close(const char *cmd, FILE *f, const char *path);

/* Write s as a JSON string, quoted and escaped. */
void tool_json_str(FILE *f, const char *s);

/* dmae info's device tree and links (info_dev.c): printed to tool_report,
 * or as the "devices" and "links" members of a JSON object.  0 or -1. */
int tool_devs_print(const char *cmd);
int tool_devs_json(const char *cmd, FILE *f);

/* Print "<cmd>: <call>: <ENAME> (<message>)" to stderr. */
void tool_call_error(const char *cmd, const char *call, int err);

#endif /* DMAE_TOOL_H */
