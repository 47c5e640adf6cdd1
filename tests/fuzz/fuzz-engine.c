/* fuzz-engine.c: what baresip sends Ringline over ctrl_tcp. The stream
 * (netstring frames of JSON, split across two reads, each message read as an
 * event) and the texts read from its replies and events (audio_debug
 * counters, CALL_CLOSED reasons). A fault here is one a newer or misbehaving
 * baresip causes; its SIP trace has its own target (fuzz-sip-trace.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-ctrl-codec.h"
#include "rl-end-reason.h"
#include "rl-engine.h"
#include "rl-quality.h"

#include <stdint.h>

/* Small enough that the fuzzer reaches the too-long-frame path. */
#define MAX_FRAME 4096

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
read_event (JsonObject *message)
{
  rl_engine_event_free (rl_engine_event_new_from_json (message));
  json_object_unref (message);
}

/* Returns: whether the stream is still usable (the client closes it on a
 * malformed frame). */
static gboolean
drain (RlCtrlCodec *decoder)
{
  for (;;)
    {
      g_autoptr (GError) error = NULL;
      JsonObject *message = NULL;

      if (!rl_ctrl_codec_next (decoder, &message, &error))
        {
          if (error == NULL)
            return TRUE;
          if (g_str_has_prefix (error->message, "Malformed"))
            return FALSE;
          continue; /* a frame that is not JSON is dropped */
        }
      g_clear_pointer (&message, read_event);
    }
}

static void
read_stream (const uint8_t *data, size_t size)
{
  g_autoptr (RlCtrlCodec) decoder = rl_ctrl_codec_new (MAX_FRAME);
  size_t half = size / 2;

  rl_ctrl_codec_push (decoder, data, half);
  if (drain (decoder))
    {
      rl_ctrl_codec_push (decoder, data + half, size - half);
      drain (decoder);
    }
}

static void
read_texts (const char *text)
{
  RlEndReason reason = { 0 };
  RlQualityLive live;

  rl_quality_live_from_debug (text, &live);
  rl_end_reason_from_engine (text, &reason);
  rl_end_reason_clear (&reason);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);

  read_stream (data, size);
  read_texts (text);
  return 0;
}
