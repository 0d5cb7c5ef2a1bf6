"""Reads one message with Python's email package (policy=default) for the mail end-to-end tests.

usage: read_mail.py MESSAGE.eml ATTACHMENT_OUT
Prints JSON: the decoded Subject, From and To (display names and addresses), Message-ID,
In-Reply-To, the text body, the attachment's decoded file name and type, and the parser's
defects; writes the attachment's bytes to ATTACHMENT_OUT.
"""

import email
import email.policy
import json
import sys


def main():
    with open(sys.argv[1], "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    attachments = list(msg.iter_attachments())
    out = {
        "subject": str(msg["Subject"]),
        "from_name": msg["From"].addresses[0].display_name,
        "from_addr": msg["From"].addresses[0].addr_spec,
        "to_name": msg["To"].addresses[0].display_name,
        "to_addr": msg["To"].addresses[0].addr_spec,
        "message_id": str(msg["Message-ID"]),
        "in_reply_to": str(msg.get("In-Reply-To", "")),
        "date": str(msg["Date"]),
        "body": msg.get_body(preferencelist=("plain",)).get_content(),
        "attachments": [
            {"name": a.get_filename(), "type": a.get_content_type()} for a in attachments
        ],
        "defects": [str(d) for d in msg.defects]
        + [str(d) for part in msg.walk() for d in part.defects],
    }
    if attachments:
        with open(sys.argv[2], "wb") as f:
            f.write(attachments[0].get_payload(decode=True))
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
