##! A worker: writes make_info(<its name>, 0) … make_info(<its name>, ZMQC_RECORDS - 1) to ZmqcCluster::LOG at
##! startup (sent as batches of Log::write_buffer_size, the rest at termination) and terminates when the manager
##! tells it to finish.

@load ./zmqc-cluster

module ZmqcCluster;

export {
	global finish: event();
}

event zeek_init() &priority=-10
	{
	local n = to_count(getenv("ZMQC_RECORDS"));
	local i = 0;
	while ( i < n )
		{
		Log::write(LOG, make_info(Cluster::node, i));
		++i;
		}
	}

event finish() &is_used
	{
	terminate();
	}
