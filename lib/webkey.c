/*
 * webkey.c: the booking page's manage links. A link is [web] url +
 * /m/ID/TOKEN, TOKEN an HMAC (libsodium's crypto_auth, HMAC-SHA-512-256)
 * of the appointment's id and creation time under a secret key of the
 * data directory, web.key (0600, made on first use), compared in
 * constant time (crypto_auth_verify). The key never leaves the directory;
 * deleting it makes every link sent so far invalid.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "appt.h"

static void
sodium(void)
{
	if (sodium_init() < 0)
		appt_die(APPT_EFAIL, "libsodium: cannot initialise");
}

/* Read the key: 0, -1 if there is none (errno ENOENT). Exits on bad. */
static int
readkey(const struct appt_store *s, unsigned char *key)
{
	unsigned char buf[APPT_WEBKEY_LEN + 1];
	ssize_t n;
	int fd;

	if ((fd = openat(s->dirfd, "web.key", O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return -1;
		appt_die(APPT_EFAIL, "%s/web.key: %s", s->dir, strerror(errno));
	}
	n = read(fd, buf, sizeof buf);
	close(fd);
	if (n != APPT_WEBKEY_LEN)
		appt_die(APPT_EDATA, "%s/web.key: not a key of %d bytes (remove "
		    "it to make a new one; links sent so far stop working)",
		    s->dir, APPT_WEBKEY_LEN);
	memcpy(key, buf, APPT_WEBKEY_LEN);
	sodium_memzero(buf, sizeof buf);
	return 0;
}

int
appt_webkey(const struct appt_store *s, int create, unsigned char *key)
{
	char tmp[64];
	int fd, i, ok;

	sodium();
	if (readkey(s, key) == 0)
		return 0;
	if (!create)
		return -1;
	/*
	 * Written whole to a temporary, then linked into place: a reader
	 * never sees half a key, and of two first uses at once one wins.
	 */
	crypto_auth_keygen(key);
	for (i = 0; i < 100; i++) {
		snprintf(tmp, sizeof tmp, ".web.key.%08x", randombytes_random());
		fd = openat(s->dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL |
		    O_CLOEXEC, 0600);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0)
		appt_die(APPT_EFAIL, "%s/%s: %s", s->dir, tmp, strerror(errno));
	ok = write(fd, key, APPT_WEBKEY_LEN) == APPT_WEBKEY_LEN &&
	    fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	if (ok && linkat(s->dirfd, tmp, s->dirfd, "web.key", 0) < 0 &&
	    errno != EEXIST)
		ok = 0;
	unlinkat(s->dirfd, tmp, 0);
	if (!ok)
		appt_die(APPT_EFAIL, "%s/web.key: %s", s->dir, strerror(errno));
	fsync(s->dirfd);
	/* Another process may have won: its key is the key. */
	if (readkey(s, key) < 0)
		appt_die(APPT_EFAIL, "%s/web.key: vanished", s->dir);
	return 0;
}

/* The message the token is the HMAC of: "ID\nCREATED". */
static char *
message(const char *id, const char *created)
{
	return xasprintf("%s\n%s", id, created);
}

void
appt_webtoken(const unsigned char *key, const char *id, const char *created,
    char out[APPT_WEBTOKEN_LEN])
{
	unsigned char mac[crypto_auth_BYTES];
	char *m = message(id, created);

	crypto_auth(mac, (const unsigned char *)m, strlen(m), key);
	free(m);
	sodium_bin2base64(out, APPT_WEBTOKEN_LEN, mac, sizeof mac,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int
appt_webtoken_ok(const unsigned char *key, const char *id,
    const char *created, const char *token)
{
	unsigned char mac[crypto_auth_BYTES];
	size_t n = 0;
	const char *end;
	char *m;
	int ok;

	if (strlen(token) != APPT_WEBTOKEN_LEN - 1 ||
	    sodium_base642bin(mac, sizeof mac, token, strlen(token), NULL, &n,
	    &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING) < 0 ||
	    n != sizeof mac || *end)
		return 0;
	m = message(id, created);
	ok = crypto_auth_verify(mac, (const unsigned char *)m, strlen(m),
	    key) == 0;
	free(m);
	return ok;
}

char *
appt_manage_url(const struct appt_store *s, const char *id,
    const char *created)
{
	unsigned char key[APPT_WEBKEY_LEN];
	char tok[APPT_WEBTOKEN_LEN];
	const char *url = appt_cfg(&s->cfg, "web:url", NULL);
	size_t n;

	if (appt_empty(url) || appt_empty(id))
		return NULL;
	appt_webkey(s, 1, key);
	appt_webtoken(key, id, created, tok);
	sodium_memzero(key, sizeof key);
	n = strlen(url);
	while (n && url[n - 1] == '/')
		n--;
	return xasprintf("%.*s/m/%s/%s", (int)n, url, id, tok);
}
