##! The writer tests' rotation names (test/writers-rotation.test.ts): a standalone Zeek with a rotation interval
##! writes one record to zmqc_rot.log, and rotates the file when it terminates, with Zeek 8.2.2's default
##! Log::rotation_format_func (`<path>.<open>.log`) or, when ZMQC_ROTATION=log-queue, the supervisor's
##! archiver_rotation_format_func (`log-queue/<path>__<open>__<close>__log_suffix=logger-1__.log`).

@load base/frameworks/cluster/nodes/logger

module ZmqcRotation;

export {
	redef enum Log::ID += { LOG };
	type Info: record {
		s: string &log;
	};
}

redef Log::default_rotation_interval = 1hr;
# No archive-log is installed.
redef Log::default_rotation_postprocessor_cmd = "";

@if ( getenv("ZMQC_ROTATION") == "log-queue" )
redef Log::rotation_format_func = archiver_rotation_format_func;
redef Log::default_rotation_dir = "log-queue";
redef archiver_log_metadata += { ["log_suffix"] = "logger-1" };
@endif

event zeek_init()
	{
	Log::create_stream(LOG, Log::Stream($columns=Info, $path="zmqc_rot"));
	Log::write(LOG, Info($s="x"));
	}
