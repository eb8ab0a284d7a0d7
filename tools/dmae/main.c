/* SPDX-License-Identifier: MIT */
/*
 * tools/dmae/main.c - the dmae command: dispatch to a subcommand.
 *
 *   dmae <command> [options]      dmae <command> --help      dmae --help
 *   dmae --version
 *
 * Each subcommand lives in its own file (info.c, test.c, ...); adding one
 * is a line in the table below and a declaration in tool.h.
 */
#include <stdio.h>
#include <string.h>

#include "tool.h"

static const struct tool_cmd cmds[] = {
	{ "info", "list providers, channels, capabilities and statistics",
	  cmd_info },
	{ "test", "check data integrity of DMA transfers (like Linux dmatest)",
	  cmd_test },
	{ "perf", "measure throughput, client cost and latency per API path",
	  cmd_perf },
};

#define NR_CMDS (sizeof(cmds) / sizeof(cmds[0]))

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: dmae <command> [options]\n"
		     "       dmae <command> --help\n\n"
		     "       dmae --version\n\n"
		     "A command-line front end to the dmae DMA engine framework.\n"
		     "Each command creates the engines it uses for the run: info and\n"
		     "test the software copy engine (swdma) and the simulated\n"
		     "controller (simdmac); perf measures swdma, and with --audio\n"
		     "plays to simdmac's simulated I2S.\n\ncommands:\n");
	for (i = 0; i < NR_CMDS; i++)
		fprintf(out, "  %-8s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(out, "\nExit status: 0 success, 1 failure, 2 usage error.  See dmae(1).\n");
}

static const struct tool_cmd *find_cmd(const char *name)
{
	size_t i;

	for (i = 0; i < NR_CMDS; i++) {
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
	}
	return NULL;
}

int main(int argc, char **argv)
{
	const struct tool_cmd *cmd;

	tool_output_init();
	if (argc < 2) {
		fprintf(stderr, "dmae: missing command (see 'dmae --help')\n");
		return TOOL_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return TOOL_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		/* the library linked in, which is the one this tool was built with */
		printf("dmae %s\n", dmae_version());
		return TOOL_EXIT_OK;
	}
	if (!strcmp(argv[1], "help")) {
		/* "dmae help test" is "dmae test --help" */
		char *help_argv[] = { argv[2], "--help", NULL };

		if (argc < 3) {
			usage(stdout);
			return TOOL_EXIT_OK;
		}
		cmd = find_cmd(argv[2]);
		if (!cmd)
			goto unknown;
		return cmd->run(2, help_argv);
	}

	cmd = find_cmd(argv[1]);
	if (!cmd)
		goto unknown;
	return cmd->run(argc - 1, argv + 1);

unknown:
	fprintf(stderr, "dmae: unknown command '%s' (see 'dmae --help')\n",
		argc > 2 && !strcmp(argv[1], "help") ? argv[2] : argv[1]);
	return TOOL_EXIT_USAGE;
}
