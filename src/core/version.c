/* SPDX-License-Identifier: MIT */
/* The version of the library in use, from dmae/version.h. */
#include <dmae/version.h>

const char *dmae_version(void)
{
	return DMAE_VERSION_STRING;
}

unsigned int dmae_version_number(void)
{
	return DMAE_VERSION_NUMBER;
}
