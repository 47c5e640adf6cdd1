/* test-baresip-output.c: what Ringline reads from baresip's output, over a
 * real pipe.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-baresip-output.h"

#include <gio/gunixinputstream.h>
#include <string.h>
#include <unistd.h>

/* The address baresip reports at start is the one its SIP messages carry:
 * Ringline restarts it when that address is gone (rl-core.c). */
static void
check_local_address (const char *text, const char *expected)
{
  int fds[2];
  g_autoptr (GInputStream) stream = NULL;
  g_autoptr (RlBaresipOutput) output = NULL;
  RlSipTrace *trace = rl_sip_trace_new ();

  g_assert_cmpint (pipe (fds), ==, 0);
  stream = g_unix_input_stream_new (fds[0], TRUE);
  output = rl_baresip_output_new (stream, trace);
  g_assert_null (rl_baresip_output_get_local_address (output));
  g_assert_cmpint (write (fds[1], text, strlen (text)), ==, (gssize) strlen (text));
  g_assert_true (rl_baresip_output_drain (output));
  g_assert_cmpstr (rl_baresip_output_get_local_address (output), ==, expected);
  close (fds[1]);
  while (rl_baresip_output_drain (output))
    ;
  g_clear_object (&output);
  rl_sip_trace_free (trace);
}

static void
test_local_address (void)
{
  check_local_address ("baresip v1.0.0 Copyright (C) 2010 - 2020 Alfred E. Heggestad et al.\n"
                       "Local network address:  IPv4=eth0|192.0.2.2  IPv6=eth0|fd00::2\n"
                       "Populated 1 audio codec\n",
                       "192.0.2.2");
}

/* baresip 4.x lists every address, IPv6 ones first where it finds them so. */
static void
test_local_address_listed (void)
{
  check_local_address ("baresip v4.10.0 Copyright (C) 2010 - 2025 Alfred E. Heggestad et al.\n"
                       "Local network addresses:\n"
                       "       eth0:  fd00::2\n"
                       "       eth0:  192.0.2.2\n"
                       "       wlan0:  198.51.100.7\n"
                       "aucodec: PCMU/8000/1\n",
                       "192.0.2.2");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/baresip-output/local-address", test_local_address);
  g_test_add_func ("/baresip-output/local-address-listed", test_local_address_listed);
  return g_test_run ();
}
