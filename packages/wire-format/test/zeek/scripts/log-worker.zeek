##! Zeek → test, worker-1: writes make_info(0) … make_info(ZMQC_LOG_RECORDS - 1) to ZmqcLogTest::LOG at
##! startup; its PUSH socket sends them to the test's PULL socket in batches of Log::write_buffer_size (1000),
##! the rest when the worker terminates. It terminates once it has seen the manager come up (so its cluster.log
##! holds "node up: manager") and the manager has told it to finish.

@load ./zmqc-log-cluster

module ZmqcLogTest;

export {
	global finish: event();
}

global manager_up = F;
global finished = F;

event zeek_init() &priority=-10
	{
	local n = to_count(getenv("ZMQC_LOG_RECORDS"));
	local i = 0;
	while ( i < n )
		{
		Log::write(LOG, make_info(i));
		++i;
		}
	}

function maybe_terminate()
	{
	if ( manager_up && finished )
		terminate();
	}

event Cluster::node_up(name: string, id: string)
	{
	if ( name == "manager" )
		{
		manager_up = T;
		maybe_terminate();
		}
	}

event finish() &is_used
	{
	finished = T;
	maybe_terminate();
	}
