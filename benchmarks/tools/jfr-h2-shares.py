#!/usr/bin/env python3
"""jfr-h2-shares.py FILE.jfr — where Berth's event loops spend an h2 profile, by the innermost frame that belongs to
Berth, Netty's h2 frame codec (frame objects, stream map and events: what a frontend on Http2ConnectionHandler would
not need), Netty's h2 core (HPACK, flow control, frame reader and writer) or Netty's HTTP/1 codec.

Record the profile with the bench, Berth alone:
  BENCH_CONTESTANTS=berth BENCH_ONLY='h2c 1 KiB, 16 conns × 16 streams$' BENCH_ROUNDS=2 BENCH_SECONDS=10 \\
  BENCH_JVM_FLAGS=-XX:StartFlightRecording=filename=/tmp/h2c.jfr,settings=profile ./berth bench --quick
"""
import collections
import os
import re
import subprocess
import sys

JFR = os.path.join(os.environ.get('JAVA_HOME', '/usr/lib/jvm/temurin-25-jdk-amd64'), 'bin', 'jfr')
FRAME_CODEC = re.compile(r'Http2FrameCodec|DefaultHttp2FrameStream|Http2FrameStreamEvent|DefaultHttp2HeadersFrame'
                         r'|DefaultHttp2DataFrame|DefaultHttp2WindowUpdateFrame')
H2_CORE = re.compile(r'Hpack|FlowController|ByteDistributor|Http2FrameReader|Http2FrameWriter'
                     r'|DefaultHttp2Connection(Encoder|Decoder)?\b|DefaultHttp2Connection\$')


def owner(frame):
    if frame.startswith('dev.berth'):
        return 'Berth'
    if FRAME_CODEC.search(frame):
        return 'h2 frame codec'
    if H2_CORE.search(frame):
        return 'h2 core'
    if '.codec.http.' in frame:
        return 'HTTP/1 codec'
    return None


def main(path):
    printed = subprocess.run([JFR, 'print', '--events', 'jdk.ExecutionSample', '--stack-depth', '200', path],
                             capture_output=True, text=True, check=True).stdout
    shares = collections.Counter()
    total = 0
    for event in printed.split('jdk.ExecutionSample')[1:]:
        thread = re.search(r'sampledThread = "([^"]*)"', event)
        frames = re.findall(r'^\s+([\w$.<>]+)\(', event, re.M)
        if not thread or 'berth-proxy' not in thread.group(1) or not frames:
            continue
        total += 1
        shares[next((o for o in map(owner, frames) if o), 'Netty transport and the rest')] += 1
    print(f'{total} samples of the event loops')
    for name, count in shares.most_common():
        print(f'{100 * count / total:5.1f}%  {name}')


if __name__ == '__main__':
    main(sys.argv[1])
