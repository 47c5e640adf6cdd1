/* fuzz-sip-trace.c: baresip's SIP trace on its stdout, which carries what
 * callers send (headers and bodies), and the Reason headers read from it.
 * The first line names the Call-ID whose reason is taken; every line is
 * also read as a Reason header and as a CALL_CLOSED text with one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-end-reason.h"
#include "rl-sip-trace.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr (RlSipTrace) trace = rl_sip_trace_new ();

  for (guint i = 0; lines[i]; i++)
    {
      RlEndReason reason = { 0 };
      g_autofree char *param = g_strdup (lines[i]);
      g_autofree char *header = NULL;

      rl_sip_trace_feed (trace, lines[i]);
      rl_end_reason_read_header (lines[i], &reason);
      rl_end_reason_clear (&reason);
      rl_end_reason_split_param (&param, &header);
    }
  g_free (rl_sip_trace_take_reason (trace, lines[0] ? lines[0] : ""));
  return 0;
}
