/* test-ctrl-codec.c: netstring/JSON framing of baresip's control protocol.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-ctrl-codec.h"
#include "rl-error.h"
#include "rl-json.h"

#include <string.h>

static void
push (RlCtrlCodec *dec, const char *data)
{
  rl_ctrl_codec_push (dec, (const guint8 *) data, strlen (data));
}

static void
test_roundtrip (void)
{
  g_autoptr (RlCtrlCodec) dec = rl_ctrl_codec_new (0);
  g_autoptr (GBytes) frame = rl_ctrl_codec_encode_request ("dial", "sip:6000@x", "t1");
  g_autoptr (GError) error = NULL;
  JsonObject *msg = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (frame, &len);

  g_assert_true (g_str_has_prefix ((const char *) data, "53:{"));
  g_assert_cmpint (data[len - 1], ==, ',');
  rl_ctrl_codec_push (dec, data, len);
  g_assert_true (rl_ctrl_codec_next (dec, &msg, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (msg, "command"), ==, "dial");
  g_assert_cmpstr (json_object_get_string_member (msg, "params"), ==, "sip:6000@x");
  g_assert_cmpstr (json_object_get_string_member (msg, "token"), ==, "t1");
  json_object_unref (msg);
  g_assert_cmpuint (rl_ctrl_codec_pending (dec), ==, 0);
}

static void
test_byte_by_byte_and_batched (void)
{
  g_autoptr (RlCtrlCodec) dec = rl_ctrl_codec_new (0);
  const char *stream = "14:{\"event\":true},12:{\"ok\":false},";
  JsonObject *msg = NULL;
  guint got = 0;

  for (const char *p = stream; *p; p++)
    {
      g_autoptr (GError) error = NULL;

      rl_ctrl_codec_push (dec, (const guint8 *) p, 1);
      while (rl_ctrl_codec_next (dec, &msg, &error))
        {
          got++;
          json_object_unref (msg);
        }
      g_assert_no_error (error);
    }
  g_assert_cmpuint (got, ==, 2);
}

static void
test_truncated (void)
{
  g_autoptr (RlCtrlCodec) dec = rl_ctrl_codec_new (0);
  g_autoptr (GError) error = NULL;
  JsonObject *msg = NULL;

  push (dec, "20:{\"event\":tr");
  g_assert_false (rl_ctrl_codec_next (dec, &msg, &error));
  g_assert_no_error (error); /* just waiting for more */
  g_assert_null (msg);
  push (dec, "ue,\"x\":1}");
  g_assert_false (rl_ctrl_codec_next (dec, &msg, &error));
  g_assert_no_error (error);
  push (dec, ",");
  g_assert_true (rl_ctrl_codec_next (dec, &msg, &error));
  json_object_unref (msg);
}

static void
test_oversized (void)
{
  g_autoptr (RlCtrlCodec) dec = rl_ctrl_codec_new (100);
  g_autoptr (GError) error = NULL;
  JsonObject *msg = NULL;

  /* Refused from the length prefix alone, before any body is buffered. */
  push (dec, "101:");
  g_assert_false (rl_ctrl_codec_next (dec, &msg, &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "too large"));
}

static void
test_huge_length_digits (void)
{
  g_autoptr (RlCtrlCodec) dec = rl_ctrl_codec_new (G_MAXSIZE);
  g_autoptr (GError) error = NULL;
  JsonObject *msg = NULL;

  push (dec, "99999999999999999999:");
  g_assert_false (rl_ctrl_codec_next (dec, &msg, &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_PROTOCOL);
}

static void
test_malformed (void)
{
  const char *cases[] = { "abc:{}", ":{},", "2:{}x", "-1:{},", " 2:{},", "2{},", NULL };

  for (guint i = 0; cases[i]; i++)
    {
      g_autoptr (RlCtrlCodec) dec = rl_ctrl_codec_new (0);
      g_autoptr (GError) error = NULL;
      g_autoptr (GError) again = NULL;
      JsonObject *msg = NULL;

      push (dec, cases[i]);
      g_assert_false (rl_ctrl_codec_next (dec, &msg, &error));
      g_assert_error (error, RL_ERROR, RL_ERROR_PROTOCOL);
      g_assert_null (msg);
      /* Once out of sync, the stream stays refused. */
      push (dec, "2:{},");
      g_assert_false (rl_ctrl_codec_next (dec, &msg, &again));
      g_assert_error (again, RL_ERROR, RL_ERROR_PROTOCOL);
    }
}

static void
test_not_json_keeps_sync (void)
{
  g_autoptr (RlCtrlCodec) dec = rl_ctrl_codec_new (0);
  g_autoptr (GError) error = NULL;
  JsonObject *msg = NULL;

  push (dec, "5:hello,2:[],2:{},");
  g_assert_false (rl_ctrl_codec_next (dec, &msg, &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_false (rl_ctrl_codec_next (dec, &msg, &error)); /* an array is not an object */
  g_assert_error (error, RL_ERROR, RL_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_true (rl_ctrl_codec_next (dec, &msg, &error));
  json_object_unref (msg);
}

/* A frame nested deeper than RL_JSON_MAX_DEPTH is refused before json-glib,
 * which recurses per level, sees it; the stream goes on. Brackets inside
 * strings do not count. */
static void
test_nested_bomb (void)
{
  g_autoptr (RlCtrlCodec) dec = rl_ctrl_codec_new (0);
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) stream = g_string_new (NULL);
  g_autofree char *bomb = g_strnfill (100000, '[');
  g_autofree char *deep_ok = NULL;
  g_autofree char *brackets = g_strnfill (500, '[');
  g_autofree char *quoted = g_strdup_printf ("{\"data\":\"%s\\\"[\"}", brackets);
  JsonObject *msg = NULL;

  g_string_append_printf (stream, "%zu:%s,", strlen (bomb), bomb);
  {
    g_autoptr (GString) ok = g_string_new ("{\"a\":");

    for (guint i = 1; i < RL_JSON_MAX_DEPTH; i++)
      g_string_append_c (ok, '[');
    for (guint i = 1; i < RL_JSON_MAX_DEPTH; i++)
      g_string_append_c (ok, ']');
    g_string_append_c (ok, '}');
    deep_ok = g_string_free (g_steal_pointer (&ok), FALSE);
  }
  g_string_append_printf (stream, "%zu:%s,", strlen (deep_ok), deep_ok);
  g_string_append_printf (stream, "%zu:%s,", strlen (quoted), quoted);
  push (dec, stream->str);
  g_assert_false (rl_ctrl_codec_next (dec, &msg, &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "nested deeper"));
  g_clear_error (&error);
  g_assert_true (rl_ctrl_codec_next (dec, &msg, &error));
  g_assert_no_error (error);
  json_object_unref (msg);
  g_assert_true (rl_ctrl_codec_next (dec, &msg, &error));
  g_assert_cmpuint (strlen (json_object_get_string_member (msg, "data")), ==, 502);
  json_object_unref (msg);
}

static void
test_escaping (void)
{
  g_autoptr (RlCtrlCodec) dec = rl_ctrl_codec_new (0);
  g_autoptr (GBytes) frame
    = rl_ctrl_codec_encode_request ("uanew", "\"Agent \\\" Zoë\" <sip:a@b>", "t");
  JsonObject *msg = NULL;

  rl_ctrl_codec_push (dec, g_bytes_get_data (frame, NULL), g_bytes_get_size (frame));
  g_assert_true (rl_ctrl_codec_next (dec, &msg, NULL));
  g_assert_cmpstr (json_object_get_string_member (msg, "params"), ==,
                   "\"Agent \\\" Zoë\" <sip:a@b>");
  json_object_unref (msg);
}

static void
test_strip_ansi (void)
{
  g_autofree char *a = rl_ctrl_codec_strip_ansi ("\033[33mzzz\033[;m ok \033[34;1mbare");
  g_autofree char *b = rl_ctrl_codec_strip_ansi ("trailing \033[");

  g_assert_cmpstr (a, ==, "zzz ok bare");
  g_assert_cmpstr (b, ==, "trailing ");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ctrl-codec/roundtrip", test_roundtrip);
  g_test_add_func ("/ctrl-codec/byte-by-byte", test_byte_by_byte_and_batched);
  g_test_add_func ("/ctrl-codec/truncated", test_truncated);
  g_test_add_func ("/ctrl-codec/oversized", test_oversized);
  g_test_add_func ("/ctrl-codec/huge-length", test_huge_length_digits);
  g_test_add_func ("/ctrl-codec/malformed", test_malformed);
  g_test_add_func ("/ctrl-codec/not-json", test_not_json_keeps_sync);
  g_test_add_func ("/ctrl-codec/escaping", test_escaping);
  g_test_add_func ("/ctrl-codec/nested-bomb", test_nested_bomb);
  g_test_add_func ("/ctrl-codec/strip-ansi", test_strip_ansi);
  return g_test_run ();
}
