#include <stdio.h>
#include <dmae/dmae.h>
#include "board.h"
int main(void)
{
	printf("hello %s t=%llu\n", dmae_version(), (unsigned long long)dmae_time_ns());
	printf("init %d\n", dmae_init());
	board_uart_write("uart ok\n", 8);
	dmae_sleep_ns(5000000);
	printf("t=%llu\n", (unsigned long long)dmae_time_ns());
	dmae_exit();
	return 3;
}
