/* rl-test-link-vectors.h: links by RFC 3966 (tel:, with RFC 4715's postd),
 * RFC 3261 (sip:, sips:) and callto:, and what each dials: the dial string
 * and the digits sent after the answer; a NULL dial: refused. Used by
 * test-target (the parser) and test-dbus (`ringline URI` into a running
 * instance).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

typedef struct
{
  const char *in, *dial, *post_dial;
} RlTestLinkVector;

static const RlTestLinkVector rl_test_link_vectors[] = {
  { "tel:+1-201-555-0123", "+12015550123" },
  { "tel:+1.201.555.0123", "+12015550123" },
  { "tel:+1 (201) 555-0123", "+12015550123" },
  { "TEL:+12015550123", "+12015550123" },
  { "tel:7042;phone-context=example.com", "7042" },
  { "tel:863-1234;phone-context=+1-914-555", "+19145558631234" },
  { "tel:5551234;phone-context=+1", "+15551234" },
  { "tel:+1-201-555-0123;phone-context=+44", "+12015550123" },
  { "tel:+1-201-555-0123;ext=1234", "+12015550123", "1234" },
  { "tel:+1-201-555-0123;ext=12-34", "+12015550123", "1234" },
  { "tel:+12015550123;EXT=9", "+12015550123", "9" },
  { "tel:+12015550123;postd=pp22", "+12015550123", "pp22" },
  { "tel:+12015550123;postd=w1P2", "+12015550123", "p1p2" },
  { "tel:+12015550123;postd=1#*AbD", "+12015550123", "1#*ABD" },
  { "tel:+12015550123;ext=7;postd=p#", "+12015550123", "7p#" },
  { "tel:+358-555-1234567;postd=pp22", "+3585551234567", "pp22" },
  { "tel:+12015550123;isub=1411", "+12015550123" },
  { "tel:+12015550123;isub=1411;ext=5", "+12015550123", "5" },
  { "tel:+12015550123;foo=bar;baz", "+12015550123" },
  { "tel:*72#", "*72#" },
  { "tel:+12015550123;postd=42", "+12015550123", "42" },
  { "callto:+15551234", "+15551234" },
  { "callto://+15551234", "+15551234" },
  { "callto://5551234;ext=5", "5551234", "5" },
  { "callto:alice@example.org", "sip:alice@example.org" },
  { "sip:alice@example.org", "sip:alice@example.org" },
  { "sip:+15551234@example.org;user=phone", "sip:+15551234@example.org;user=phone" },
  { "sips:bob@example.org:5061;transport=tls", "sips:bob@example.org:5061;transport=tls" },
  { "sip:alice@example.org?subject=hi", "sip:alice@example.org?subject=hi" },
  { "SIP:6000@127.0.0.1", "sip:6000@127.0.0.1" },
  { "sip:alice@[2001:db8::1]:5060", "sip:alice@[2001:db8::1]:5060" },
  { "sip:6000@host;lr;maddr=10.0.0.1", "sip:6000@host;lr;maddr=10.0.0.1" },
  { "+34 917 37 01 92", "+34917370192" },
  { "tel:" },
  { "tel:+1-201-555-0123;ext=" },
  { "tel:+12015550123;ext=12a" },
  { "tel:+12015550123;postd=pp2x" },
  { "tel:863-1234;phone-context=+1x" },
  { "tel:863;phone-context=exa mple.com" },
  { "tel:863;phone-context=" },
  { "tel:abc" },
  { "callto:" },
  { "sip:a b@host" },
  { "sip:@host" },
  { "sip:alice@" },
  { "sip:alice@host name" },
};
