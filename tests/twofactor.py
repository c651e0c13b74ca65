"""Second factors in tests: a TOTP code computed as an authenticator app does, and staff signed in
with theirs given (the sign-in itself is tested through its pages in test_accounts.py)."""

import base64
import hashlib
import hmac
import struct
import time

from community import twofactor


def totp_code(secret, at=None, step=30, digits=6):
    """The code an authenticator app shows for a base32 ``secret`` (RFC 6238, HMAC-SHA1)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def sign_in_staff(client, user):
    """Sign a staff account in as if it had given its second factor in this session."""
    client.force_login(user)
    session = client.session
    session[twofactor.SESSION_KEY] = str(user.pk)
    session.save()
    return client
