"""`python -m epochal sync`: sends what processes that died left in the spool.

    python -m epochal sync [--url URL] [--timeout SECONDS]

Each run found is sent (to the server it was logged for, or --url) and ended
FAILED, since the process that would have finished it is gone. Runs of living
processes are left to them. Exit status 0 when everything was delivered.
"""
import argparse
import logging

import epochal


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m epochal", description="Epochal client tools")
    commands = parser.add_subparsers(dest="command", required=True)
    sync = commands.add_parser("sync", help="send runs that dead processes left in the spool")
    sync.add_argument("--url", help="the server's GraphQL URL (default: the one each run was logged for)")
    sync.add_argument("--timeout", type=float, default=300.0, help="seconds to keep trying (default 300)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    found, delivered = epochal.sync(url=args.url, timeout=args.timeout)
    left = found - delivered
    print("epochal sync: %d run(s) found; %s" % (found, "all delivered" if not left else "%d not delivered yet, try again" % left))
    return 0 if not left else 1
