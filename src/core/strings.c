/* SPDX-License-Identifier: MIT */
/* Error strings and the *_to_string() functions of the public enums. */
#include "core/core.h"

#define ERR_CASE_MSG(name, msg)                                               \
	case name:                                                            \
		return msg;
#define ERR_CASE_NAME(name, msg)                                              \
	case name:                                                            \
		return #name;

const char *dmae_strerror(int err)
{
	if (err == 0)
		return "success";
	switch (err < 0 ? -err : err) {
		DMAE_ERRNO_TABLE(ERR_CASE_MSG)
	}
	return "unknown error";
}

const char *dmae_errname(int err)
{
	if (err == 0)
		return "0";
	switch (err < 0 ? -err : err) {
		DMAE_ERRNO_TABLE(ERR_CASE_NAME)
	}
	return "E?";
}

const char *dmae_op_to_string(enum dmae_op op)
{
	switch (op) {
	case DMAE_OP_MEMCPY:
		return "memcpy";
	case DMAE_OP_MEMSET:
		return "memset";
	case DMAE_OP_SG:
		return "sg";
	case DMAE_OP_INTERLEAVED:
		return "interleaved";
	case DMAE_OP_SLAVE_SG:
		return "slave-sg";
	case DMAE_OP_CYCLIC:
		return "cyclic";
	case DMAE_OP_COUNT:
		break;
	}
	return "?";
}

const char *dmae_dir_to_string(enum dmae_dir dir)
{
	switch (dir) {
	case DMAE_MEM_TO_MEM:
		return "mem-to-mem";
	case DMAE_MEM_TO_DEV:
		return "mem-to-dev";
	case DMAE_DEV_TO_MEM:
		return "dev-to-mem";
	case DMAE_DIR_COUNT:
		break;
	}
	return "?";
}

const char *dmae_residue_gran_to_string(enum dmae_residue_gran g)
{
	switch (g) {
	case DMAE_RESIDUE_DESCRIPTOR:
		return "descriptor";
	case DMAE_RESIDUE_SEGMENT:
		return "segment";
	case DMAE_RESIDUE_BURST:
		return "burst";
	}
	return "?";
}

const char *dmae_status_to_string(enum dmae_status s)
{
	switch (s) {
	case DMAE_COMPLETE:
		return "complete";
	case DMAE_IN_PROGRESS:
		return "in-progress";
	case DMAE_PAUSED:
		return "paused";
	case DMAE_ERROR:
		return "error";
	}
	return "?";
}

const char *dmae_result_to_string(enum dmae_result_code r)
{
	switch (r) {
	case DMAE_RESULT_OK:
		return "ok";
	case DMAE_RESULT_READ_FAILED:
		return "read-failed";
	case DMAE_RESULT_WRITE_FAILED:
		return "write-failed";
	case DMAE_RESULT_ABORTED:
		return "aborted";
	case DMAE_RESULT_POWER_FAILED:
		return "power-failed";
	}
	return "?";
}

const char *dmae_cb_ctx_to_string(enum dmae_cb_ctx c)
{
	switch (c) {
	case DMAE_CB_BH:
		return "BH";
	case DMAE_CB_HARDIRQ:
		return "hard-IRQ";
	case DMAE_CB_TASK:
		return "task";
	}
	return "?";
}

const char *dmae_chan_state_to_string(enum dmae_chan_state s)
{
	switch (s) {
	case DMAE_CHAN_FREE:
		return "free";
	case DMAE_CHAN_EXCLUSIVE:
		return "exclusive";
	case DMAE_CHAN_PUBLIC:
		return "public";
	case DMAE_CHAN_REVOKED:
		return "revoked";
	}
	return "?";
}

const char *dmae_provider_state_to_string(enum dmae_provider_state s)
{
	switch (s) {
	case DMAE_PROVIDER_UNREGISTERED:
		return "unregistered";
	case DMAE_PROVIDER_LIVE:
		return "live";
	case DMAE_PROVIDER_GOING:
		return "going";
	case DMAE_PROVIDER_GONE:
		return "gone";
	}
	return "?";
}

const char *dmae_desc_state_to_string(enum dmae_desc_state s)
{
	switch (s) {
	case DMAE_DESC_FREE:
		return "free";
	case DMAE_DESC_PREPARED:
		return "prepared";
	case DMAE_DESC_SUBMITTED:
		return "submitted";
	case DMAE_DESC_ACTIVE:
		return "active";
	case DMAE_DESC_CALLBACK:
		return "callback-pending";
	case DMAE_DESC_DONE:
		return "done";
	case DMAE_DESC_TERMINATED:
		return "terminated";
	}
	return "?";
}

const char *dmae_pm_state_to_string(enum dmae_pm_state s)
{
	switch (s) {
	case DMAE_PM_ACTIVE:
		return "active";
	case DMAE_PM_SUSPENDING:
		return "suspending";
	case DMAE_PM_SUSPENDED:
		return "suspended";
	case DMAE_PM_RESUMING:
		return "resuming";
	case DMAE_PM_ERROR:
		return "error";
	}
	return "?";
}

const char *dmae_dev_kind_to_string(enum dmae_dev_kind k)
{
	switch (k) {
	case DMAE_DEV_CONSUMER:
		return "consumer";
	case DMAE_DEV_PROVIDER:
		return "provider";
	case DMAE_DEV_CHANNEL:
		return "channel";
	}
	return "?";
}
