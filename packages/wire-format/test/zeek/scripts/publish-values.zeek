##! Zeek → test: once the test subscribes to ZmqcTest::values_topic, publish one event per value type
##! (zmqc-values.zeek), then end_of_values. Terminates when the test unsubscribes again.

@load ./zmqc-values

event Cluster::Backend::ZeroMQ::subscription(topic: string)
	{
	if ( topic == ZmqcTest::values_topic )
		ZmqcTest::publish_values(topic);
	}

event Cluster::Backend::ZeroMQ::unsubscription(topic: string)
	{
	if ( topic == ZmqcTest::values_topic )
		terminate();
	}
