"""Verifies every DKIM signature of the messages in a folder with dkimpy, an implementation
independent of briefcast's, and checks that altering a signed part breaks each of them.

    python3 .ci/dkim-verify.py FOLDER RECORDS.json EXPECTED_SIGNATURES

RECORDS.json is `briefcast --json dkim check`: the TXT record of each key, handed to dkimpy as
the DNS answer for its name. Exits non-zero, naming the message and signature, on any failure.
"""
import json
import pathlib
import re
import sys

import dkim

folder, records_file, expected = pathlib.Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
records = {
    (key["name"] + ".").encode(): key["record"].encode()
    for key in json.load(open(records_file))["keys"]
}


def dns(name, timeout=5):
    return records.get(name, b"")


def verified(d, i):
    try:
        return d.verify(idx=i, dnsfunc=dns)
    except dkim.DKIMException as refused:
        return f"refused: {refused}"


def results(message):
    d = dkim.DKIM(message)
    count = len(re.findall(rb"^DKIM-Signature:", message, re.MULTILINE | re.IGNORECASE))
    return [verified(d, i) for i in range(count)]


def message_of(path):
    raw = path.read_bytes()
    # smtp-sink -d writes the message as received, with LF line ends; the wire had CRLF.
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


messages = sorted(p for p in folder.iterdir() if p.is_file())
if not messages:
    sys.exit(f"no messages in {folder}")
failed = 0
for path in messages:
    message = message_of(path)
    got = results(message)
    if len(got) != expected or not all(g is True for g in got):
        failed += 1
        print(f"{path.name}: {len(got)} signature(s), verified {got}")
print(f"{len(messages) - failed} of {len(messages)} messages: all {expected} signatures verify (dkimpy)")

# Altered in its body, its Subject or its List-Unsubscribe, a message fails every signature.
sample = message_of(messages[0])
head, body = sample.split(b"\r\n\r\n", 1)
alterations = {
    "the body": head + b"\r\n\r\n" + body.replace(b"a", b"4", 1),
    "the Subject": re.sub(rb"(?m)^Subject: ", b"Subject: Re: ", sample, count=1),
    "List-Unsubscribe": re.sub(rb"(?m)^(List-Unsubscribe: <https?://)", rb"\1evil.example/", sample, count=1),
}
for what, altered in alterations.items():
    if altered == sample:
        sys.exit(f"could not alter {what} of {messages[0].name}")
    got = results(altered)
    if any(g is True for g in got):
        failed += 1
        print(f"altering {what} left a signature valid: {got}")
    else:
        print(f"altering {what}: every signature fails, as it must")
sys.exit(1 if failed else 0)
