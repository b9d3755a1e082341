##! The writer tests' rotation schedule (test/writers-rotation.test.ts): read a one-packet pcap, so network time
##! is the packet's time, and print Zeek's calc_next_rotate (the delay until the next rotation, which the
##! logging framework schedules with log_rotate_base_time) for a few intervals, one line each:
##! "<interval seconds> <delay seconds>". The test sets TZ and ZMQC_BASE_TIME.

redef log_rotate_base_time = getenv("ZMQC_BASE_TIME");

event network_time_init()
	{
	for ( i in vector(1hr, 24hr, 15min, 7min, 90min, 6hr) )
		{
		local iv = vector(1hr, 24hr, 15min, 7min, 90min, 6hr)[i];
		print fmt("%.6f %.6f", interval_to_double(iv), interval_to_double(calc_next_rotate(iv)));
		}
	}
