/* SPDX-License-Identifier: MIT */
/*
 * tools/dmae/engine.c - bring up and tear down the engine the subcommands
 * run against: the library, the two embedded default providers (the
 * software engine swdma and the simulated controller simdmac) and the
 * "dmae-tool" consumer device.
 */
#include <stdio.h>

#include "tool.h"

void tool_call_error(const char *cmd, const char *call, int err)
{
	fprintf(stderr, "%s: %s: %s (%s)\n", cmd, call, dmae_errname(err),
		dmae_strerror(err));
}

int tool_engine_opt(struct tool_args *a, struct tool_engine_cfg *cfg, int key,
		    const char *val)
{
	uint64_t v;

	switch (key) {
	case TOOL_OPT_CHANS:
		if (tool_parse_u64(a, val, 1, 256, &v))
			return -1;
		cfg->chans = (uint32_t)v;
		return 0;
	case TOOL_OPT_WORKERS:
		if (tool_parse_u64(a, val, 1, 64, &v))
			return -1;
		cfg->workers = (uint32_t)v;
		return 0;
	default:
		tool_usage_error(a, "internal error: option key %d not handled",
				 key);
		return -1;
	}
}

int tool_engine_open(struct tool_engine *e, const char *cmd,
		     const struct tool_engine_cfg *cfg)
{
	struct dmae_swdma_config swcfg = {
		.nr_chans = cfg->chans,
		.nr_workers = cfg->workers,
	};
	int err;

	e->cmd = cmd;
	e->inited = false;
	e->sw = NULL;
	e->soc = NULL;
	e->dev = NULL;

	err = dmae_init();
	if (err) {
		tool_call_error(cmd, "dmae_init", err);
		return err;
	}
	e->inited = true;

	err = dmae_swdma_create(&swcfg, &e->sw);
	if (err) {
		tool_call_error(cmd, "dmae_swdma_create", err);
		goto err_exit;
	}

	err = dmae_simdmac_create(NULL, &e->soc);
	if (err) {
		tool_call_error(cmd, "dmae_simdmac_create", err);
		goto err_swdma;
	}

	err = dmae_dev_create("dmae-tool", &e->dev);
	if (err) {
		tool_call_error(cmd, "dmae_dev_create", err);
		goto err_simdmac;
	}
	return 0;

err_simdmac:
	dmae_simdmac_destroy(e->soc);
	e->soc = NULL;
err_swdma:
	dmae_swdma_destroy(e->sw);
	e->sw = NULL;
err_exit:
	dmae_exit();
	e->inited = false;
	return err;
}

int tool_engine_close(struct tool_engine *e)
{
	int ret = 0, err;

	if (e->dev) {
		err = dmae_dev_destroy(e->dev);
		if (err) {
			tool_call_error(e->cmd, "dmae_dev_destroy", err);
			ret = -1;
		}
		e->dev = NULL;
	}
	if (e->soc) {
		err = dmae_simdmac_destroy(e->soc);
		if (err) {
			tool_call_error(e->cmd, "dmae_simdmac_destroy", err);
			ret = -1;
		}
		e->soc = NULL;
	}
	if (e->sw) {
		err = dmae_swdma_destroy(e->sw);
		if (err) {
			tool_call_error(e->cmd, "dmae_swdma_destroy", err);
			ret = -1;
		}
		e->sw = NULL;
	}
	if (e->inited) {
		dmae_exit();
		e->inited = false;
	}
	return ret;
}
