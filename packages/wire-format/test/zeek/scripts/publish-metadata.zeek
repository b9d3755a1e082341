##! Zeek → test, with event metadata: every event carries [[1, network timestamp]]. Network time is
##! pinned (no packets, allow_network_time_forward=F) so the captured bytes are the same on every run.

@load ./zmqc-values

redef EventMetadata::add_network_timestamp = T;
redef allow_network_time_forward = F;

event zeek_init()
	{
	set_network_time(double_to_time(1700000000.25));
	}

event Cluster::Backend::ZeroMQ::subscription(topic: string)
	{
	if ( topic != ZmqcTest::values_topic )
		return;

	Cluster::publish(topic, ZmqcTest::with_metadata, "stamped");
	Cluster::publish(topic, ZmqcTest::end_of_values, 1);
	}

event Cluster::Backend::ZeroMQ::unsubscription(topic: string)
	{
	if ( topic == ZmqcTest::values_topic )
		terminate();
	}
