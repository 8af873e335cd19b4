#!/usr/bin/python3
"""RTSP test server on 127.0.0.1 for EdgeSam2's tests (Debian ships no test-launch).

Serves H.264 (x264enc tune=zerolatency) from videotestsrc, or from a video file played in an endless loop.
Binds a free port itself and prints one line, 'READY rtsp://127.0.0.1:<port>/<path>', once it accepts clients.
Exits when its stdin closes, so it never outlives the test process that started it.
"""
import argparse
import faulthandler
import subprocess
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

ENCODE = (
    "videoconvert ! video/x-raw,format=I420 ! "
    "x264enc tune=zerolatency speed-preset=ultrafast key-int-max={gop} ! "
    "video/x-h264,profile=baseline ! rtph264pay name=pay0 pt=96 config-interval=1"
)


def decode_file(args):
    """Decodes the whole (small) file once, so looping is a matter of replaying frames with fresh timestamps."""
    raw = subprocess.run(
        [args.ffmpeg, "-v", "error", "-nostdin", "-i", args.file,
         "-vf", f"scale={args.width}:{args.height}", "-pix_fmt", "rgb24", "-f", "rawvideo", "pipe:1"],
        check=True, stdout=subprocess.PIPE).stdout
    size = args.width * args.height * 3
    frames = [raw[i:i + size] for i in range(0, len(raw) - size + 1, size)]
    if not frames:
        sys.exit(f"no frames decoded from {args.file}")
    return frames


def file_factory(args):
    frames = decode_file(args)
    factory = GstRtspServer.RTSPMediaFactory()
    caps = f"video/x-raw,format=RGB,width={args.width},height={args.height},framerate={args.fps}/1"
    factory.set_launch(
        f"( appsrc name=src is-live=true do-timestamp=true format=time caps={caps} ! {ENCODE.format(gop=args.gop or args.fps)} )")

    def on_configure(_factory, media):
        appsrc = media.get_element().get_child_by_name("src")
        state = {"n": 0}

        def push():
            data = frames[state["n"] % len(frames)]
            state["n"] += 1
            # A flow error means the media was torn down (client gone): stop this media's clock.
            return appsrc.emit("push-buffer", Gst.Buffer.new_wrapped(data)) == Gst.FlowReturn.OK

        GLib.timeout_add(max(1, round(1000 / args.fps)), push)

    factory.connect("media-configure", on_configure)
    return factory


def pattern_factory(args):
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(
        f"( videotestsrc is-live=true pattern={args.pattern} ! "
        f"video/x-raw,width={args.width},height={args.height},framerate={args.fps}/1 ! {ENCODE.format(gop=args.gop or args.fps)} )")
    return factory


def keep_running(_factory, media):
    """Keeps the shared media prepared, as a camera keeps its encoder running: one prepare of our own that is never
    undone, so a client that leaves does not unprepare the pipeline while the next one joins it (GstRtspServer answered
    such a join with 503, and could fail for good, under load), and a client joins a stream that is already running."""
    media.prepare(None)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pattern", default="smpte", help="videotestsrc pattern (smpte, red, green, ball …)")
    parser.add_argument("--file", help="serve this video file in a loop instead of a test pattern")
    parser.add_argument("--width", type=int, default=320)
    parser.add_argument("--height", type=int, default=240)
    parser.add_argument("--fps", type=int, default=25)
    parser.add_argument("--gop", type=int, default=0, help="frames from one key frame to the next; 0: one a second")
    parser.add_argument("--path", default="test")
    parser.add_argument("--port", type=int, default=0, help="0: a free port (printed in the READY line)")
    parser.add_argument("--ffmpeg", default="ffmpeg")
    args = parser.parse_args()

    # A crash shows in the test's failure message (RtspTestServer.Describe) with the Python stack.
    faulthandler.enable()
    Gst.init(None)
    factory = file_factory(args) if args.file else pattern_factory(args)
    factory.set_shared(True)
    factory.connect("media-configure", keep_running)

    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))
    server.get_mount_points().add_factory(f"/{args.path}", factory)
    server.attach(None)

    loop = GLib.MainLoop()

    def on_stdin(_source, _condition):
        loop.quit()
        return False

    GLib.io_add_watch(sys.stdin.fileno(), GLib.IO_IN | GLib.IO_HUP | GLib.IO_ERR, on_stdin)
    print(f"READY rtsp://127.0.0.1:{server.get_bound_port()}/{args.path}", flush=True)
    loop.run()


if __name__ == "__main__":
    main()
