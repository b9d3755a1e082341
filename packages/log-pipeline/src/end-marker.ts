/**
 * The format of the end-of-stream marker a sender sends a logger it retires (`LogSender.retireLogger`): a log
 * message with an empty payload, after the last batch sent to that logger through the same pipe. A zmqc logger
 * counts it (`stats().endMarkers`) and, closed with `handoffMs`, waits for it from every sender it has heard from;
 * a Zeek logger would count it as a message in a format it does not read.
 */
export const LOG_END_FORMAT = "zmqc-log-end-v1";
