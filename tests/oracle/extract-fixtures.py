#!/usr/bin/env python3
"""Turn a pair of charon logs (IKE log level 4) into one oracle fixture.

The fixture is "key value" lines (hex, or decimal for small numbers) read by
tests/unit/test_crypto_oracle.c. Everything comes from what charon itself logged:
its derived keys and hashes are the expected values, the inputs (nonces, public
values, cookies, SA/ID bodies, message bodies) are cut from its logged data and
from the packets it received.
"""
import argparse
import base64
import re
import sys

TITLE = re.compile(r'^(\d+)\[(\w+)\] (.*?) => (\d+) bytes @ ')
DUMP = re.compile(r'^(\d+)\[(\w+)\]\s+(\d+): ((?:[0-9A-F]{2} )+)')
PUBLEN = {1: 96, 2: 128, 5: 192, 14: 256, 15: 384, 16: 512, 17: 768, 18: 1024,
          19: 64, 20: 96, 21: 132}
GROUPS = {'modp768': 1, 'modp1024': 2, 'modp1536': 5, 'modp2048': 14, 'modp3072': 15,
          'modp4096': 16, 'ecp256': 19, 'ecp384': 20, 'ecp521': 21}
HASHES = {'md5': (1, 16), 'sha1': (2, 20), 'sha256': (4, 32), 'sha384': (5, 48),
          'sha512': (6, 64)}
# ESP proposal parts -> (ESP transform id, key bits) and authentication algorithm ids
ESP_ENC = {'aes128': (12, 128), 'aes256': (12, 256), '3des': (3, 0),
           'aes128gcm16': (20, 128), 'aes256gcm16': (20, 256)}
ESP_AUTH = {'md5': 1, 'sha1': 2, 'sha256': 5, 'sha384': 6, 'sha512': 7}
CIPHERS = {'aes128': (7, 128, 16), 'aes192': (7, 192, 16), 'aes256': (7, 256, 16),
           '3des': (5, 0, 8)}


def read_log(path):
    """List of (title, bytes) in log order; hex dumps are joined per thread."""
    out, open_by_thread = [], {}
    with open(path, errors='replace') as f:
        for line in f:
            m = TITLE.match(line)
            if m:
                rec = [m.group(3), bytearray(), int(m.group(4))]
                out.append(rec)
                open_by_thread[m.group(1)] = rec
                continue
            m = DUMP.match(line)
            if m and m.group(1) in open_by_thread:
                open_by_thread[m.group(1)][1] += bytes.fromhex(m.group(4).replace(' ', ''))
                continue
            t = re.match(r'^(\d+)\[', line)
            if t:
                open_by_thread.pop(t.group(1), None)
    for r in out:
        if len(r[1]) != r[2]:
            sys.exit('%s: dump of %r has %d of %d bytes' % (path, r[0], len(r[1]), r[2]))
    return [(r[0], bytes(r[1])) for r in out]


def first(log, title, start=0):
    for i in range(start, len(log)):
        if log[i][0] == title:
            return i, log[i][1]
    sys.exit('no %r in log' % title)


def enc_blocks(log):
    """Encryptions charon logged: (index, iv, plain, padding, encrypted)."""
    res = []
    for i, (t, v) in enumerate(log):
        if t == 'IV' and i + 3 < len(log) and log[i + 1][0] == 'plain':
            pad = log[i + 2][1] if log[i + 2][0] == 'padding' else b''
            j = i + 3 if log[i + 2][0] == 'padding' else i + 2
            res.append((i, v, log[i + 1][1], pad, log[j][1]))
    return res


def payloads(first_type, data):
    """Walk an ISAKMP payload chain: list of (type, body)."""
    res, t, off = [], first_type, 0
    while t != 0 and off + 4 <= len(data):
        nxt, plen = data[off], int.from_bytes(data[off + 2:off + 4], 'big')
        if plen < 4 or off + plen > len(data):
            break
        res.append((t, data[off + 4:off + plen]))
        t, off = nxt, off + plen
    return res


def received_plain_payloads(log):
    """Unencrypted messages received: (exchange type, msgid, [(type, body)])."""
    res = []
    for t, v in log:
        if t != 'received packet':
            continue
        if v[:4] == b'\0\0\0\0':
            v = v[4:]  # non-ESP marker on port 4500
        if len(v) < 28 or v[19] & 1:
            continue
        res.append((v[18], int.from_bytes(v[20:24], 'big'), payloads(v[16], v[28:])))
    return res


def mid_of(log, idx, iv):
    """Message id of the encryption at idx: the latest "next IV for MID n" with this IV."""
    for k in range(idx - 1, -1, -1):
        m = re.match(r'next IV for MID (\d+)$', log[k][0])
        if m and log[k][1] == iv:
            return int(m.group(1))
        if log[k][0] == 'initial IV' and log[k][1][:len(iv)] == iv:
            return 0  # the first Phase 1 encryption uses the initial IV
    sys.exit('no MID for encryption block at %d' % idx)


def emit(key, val):
    print('%s %s' % (key, val.hex() if isinstance(val, (bytes, bytearray)) else val))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--psk', required=True)
    ap.add_argument('--name', required=True)
    ap.add_argument('--ike', required=True, help='IKE proposal, e.g. aes128-sha256-modp2048')
    ap.add_argument('--esp', required=True)
    ap.add_argument('--aggressive', default='no')
    ap.add_argument('--auth', default='psk', choices=('psk', 'rsa'))
    ap.add_argument('--cert-i', help='initiator certificate (PEM) for rsa')
    ap.add_argument('--cert-r', help='responder certificate (PEM) for rsa')
    ap.add_argument('ilog')
    ap.add_argument('rlog')
    a = ap.parse_args()
    ilog, rlog = read_log(a.ilog), read_log(a.rlog)
    enc, hsh, grp = a.ike.split('-')
    hash_id, dlen = HASHES[hsh]
    cipher_id, keybits, block = CIPHERS[enc]
    group = GROUPS[grp]
    plen = PUBLEN[group]
    print('# oracle fixture %s: recorded from strongSwan charon by record-strongswan.sh' % a.name)
    print('# IKE %s, ESP %s, %s mode' % (a.ike, a.esp, 'aggressive' if a.aggressive == 'yes' else 'main'))
    emit('hash', hash_id)
    emit('cipher', cipher_id)
    emit('keybits', keybits)
    emit('group', group)
    esp = a.esp.split('-')
    emit('esp_enc', ESP_ENC[esp[0]][0])
    emit('esp_keybits', ESP_ENC[esp[0]][1])
    emit('esp_auth', ESP_AUTH[esp[1]] if len(esp) > 1 and esp[1] in ESP_AUTH else 0)
    emit('auth', 1 if a.auth == 'psk' else 3)  # IKE Authentication Method attribute
    if a.auth == 'psk':
        emit('psk', a.psk.encode())

    # Phase 1 inputs from HASH_I / HASH_R data and the received cleartext packets.
    _, hid = first(ilog, 'HASH_I data')
    gxi, gxr = hid[:plen], hid[plen:2 * plen]
    cky_i, cky_r = hid[2 * plen:2 * plen + 8], hid[2 * plen + 8:2 * plen + 16]
    sai_b, idii_b = hid[2 * plen + 16:-8], hid[-8:]
    _, hrd = first(ilog, 'HASH_R data')
    assert hrd[:plen] == gxr and hrd[2 * plen:2 * plen + 8] == cky_r
    idir_b = hrd[-8:]
    assert hrd[2 * plen + 16:-8] == sai_b
    ni = [b for ex, mid, pl in received_plain_payloads(rlog) if mid == 0 for t, b in pl if t == 10]
    nr = [b for ex, mid, pl in received_plain_payloads(ilog) if mid == 0 for t, b in pl if t == 10]
    for k, v in (('cky_i', cky_i), ('cky_r', cky_r), ('gxi', gxi), ('gxr', gxr),
                 ('ni', ni[0]), ('nr', nr[0]), ('sai_b', sai_b), ('idii_b', idii_b),
                 ('idir_b', idir_b)):
        emit(k, v)
    for t in ('shared Diffie Hellman secret', 'SKEYID', 'SKEYID_d', 'SKEYID_a', 'SKEYID_e',
              'encryption key Ka', 'initial IV', 'HASH_I', 'HASH_R'):
        key = {'shared Diffie Hellman secret': 'gxy', 'encryption key Ka': 'enc_key',
               'initial IV': 'iv_p1'}.get(t, t.lower())
        emit(key, first(ilog, t)[1])

    blocks = enc_blocks(ilog)
    p1 = [b for b in blocks if mid_of(ilog, b[0], b[1]) == 0][0]
    emit('p1_msg_iv', p1[1])
    emit('p1_msg_plain', p1[2] + p1[3])
    emit('p1_msg_cipher', p1[4])
    if a.auth == 'rsa':
        # Main Mode 5 and 6 start with the ID payload: ID, [CERT,] SIG.
        r1 = [b for b in enc_blocks(rlog) if mid_of(rlog, b[0], b[1]) == 0][0]
        for who, blk, pem in (('i', p1, a.cert_i), ('r', r1, a.cert_r)):
            with open(pem) as f:
                b64 = ''.join(l.strip() for l in f if l.strip() and not l.startswith('-----'))
            emit('cert_' + who, base64.b64decode(b64))
            emit('sig_' + who, [b for t, b in payloads(5, blk[2]) if t == 9][0])

    # Quick Mode: hashes, IVs, nonces and KEYMAT.
    h1i, h1 = first(ilog, 'Hash(1)')
    qm1 = [b for b in blocks if b[0] > h1i][0]
    qm_mid = mid_of(ilog, qm1[0], qm1[1])
    hlen = 4 + dlen
    # the last Phase 1 CBC block, then the first IV of the Quick Mode
    p1_last = [v for t, v in ilog[:h1i] if t == 'next IV for MID 0'][-1]
    emit('p1_last', p1_last)
    emit('qm_mid', qm_mid)
    emit('qm_iv', first(ilog, 'next IV for MID %d' % qm_mid)[1])
    emit('qm_hash1', h1)
    emit('qm_rest1', qm1[2][hlen:])
    emit('qm_msg_iv', qm1[1])
    emit('qm_msg_plain', qm1[2] + qm1[3])
    emit('qm_msg_cipher', qm1[4])
    h2i, h2 = first(rlog, 'Hash(2)')
    qm2 = [b for b in enc_blocks(rlog) if b[0] > h2i][0]
    emit('qm_hash2', h2)
    emit('qm_rest2', qm2[2][hlen:])
    emit('qm_hash3', first(ilog, 'Hash(3)')[1])
    qni = [b for t, b in payloads(8, qm1[2]) if t == 10][0]
    qnr = [b for t, b in payloads(8, qm2[2]) if t == 10][0]
    emit('qm_ni', qni)
    emit('qm_nr', qnr)
    qke = [b for t, b in payloads(8, qm1[2]) + payloads(8, qm2[2]) if t == 4]
    gxy_qm = b''
    if qke:
        emit('qm_gxi', qke[0])
        emit('qm_gxr', qke[1])
        gxy_qm = first(ilog, 'DH secret')[1]
        emit('qm_gxy', gxy_qm)
    for who in ('initiator', 'responder'):
        seed = first(ilog, '%s SA seed' % who)[1]
        assert seed[:len(gxy_qm)] == gxy_qm
        s = seed[len(gxy_qm):]
        assert s[5:] == qni + qnr
        km = b''.join(v for t, v in ilog if t in ('encryption %s key' % who,
                                                  'integrity %s key' % who))
        if who == 'initiator':
            emit('proto', s[0])
        d = 'i2r' if who == 'initiator' else 'r2i'  # which way the SA carries traffic
        emit('spi_%s' % d, s[1:5])
        emit('keymat_%s' % d, km)

    # Informational (delete) sent by the initiator.
    hi, h = first(ilog, 'Hash')
    info = [b for b in blocks if b[0] > hi][0]
    info_mid = mid_of(ilog, info[0], info[1])
    emit('info_mid', info_mid)
    emit('info_iv', first(ilog, 'next IV for MID %d' % info_mid)[1])
    emit('info_hash', h)
    emit('info_rest', info[2][hlen:])


if __name__ == '__main__':
    main()
