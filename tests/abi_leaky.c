/* SPDX-License-Identifier: MIT */
/*
 * A shared library that exports one public-looking function and one
 * internal dmae__ helper: abi.exports_catches_leak runs the export check
 * on it and expects the check to fail.
 */
__attribute__((visibility("default"))) int dmae_leaky_get(void);
__attribute__((visibility("default"))) int dmae__leaky_internal(void);

int dmae__leaky_internal(void)
{
	return 1;
}

int dmae_leaky_get(void)
{
	return dmae__leaky_internal();
}
