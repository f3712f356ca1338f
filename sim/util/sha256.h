/*
 * sha256.h - SHA-256 (FIPS 180-4) of a buffer, for the provenance block of JSON outputs.
 *
 * Neither libyaml nor GSL has a hash of this kind, and linking libcrypto for one digest of a
 * scenario file is more dependency than it is worth: this is the standard's algorithm,
 * checked by tests/unit/test_sha256.c against the FIPS 180-2 vectors and `sha256sum`.
 */
#ifndef TS_UTIL_SHA256_H
#define TS_UTIL_SHA256_H

#include <stddef.h>

enum { SHA256_HEX_LEN = 64 };

/* Writes the digest of data[0..len) as 64 lowercase hex digits and a NUL into hex. */
void sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN + 1]);

#endif
