/* test-quality.c: the call quality formula, RTCP reports and the counters
 * read between them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-quality.h"

/* One row per label step of the documented E-model (docs/dbus-api.md). */
static void
test_label (void)
{
  static const struct
  {
    double loss, jitter, rtt;
    const char *label;
  } rows[] = {
    { 0, 0, 0, "excellent" }, { 2.5, 0, 0, "excellent" }, { 3.5, 0, 0, "good" },
    { 6.5, 0, 0, "good" },    { 7.5, 0, 0, "fair" },      { 12.5, 0, 0, "fair" },
    { 13.5, 0, 0, "poor" },   { 0, 0, 400, "good" },      { 0, 200, 0, "fair" },
    { 0, 0, 1000, "poor" },   { 100, 0, 0, "poor" },      { -5, -1, -1, "excellent" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      double mos = 0;

      g_assert_cmpstr (rl_quality_label (rows[i].loss, rows[i].jitter, rows[i].rtt, &mos), ==,
                       rows[i].label);
      g_assert_cmpfloat (mos, >=, 1);
      g_assert_cmpfloat (mos, <=, 4.5);
    }
}

static double
lookup_double (GVariant *dict, const char *key)
{
  double value = -1;

  g_assert_true (g_variant_lookup (dict, key, "d", &value));
  return value;
}

static gint64
lookup_int64 (GVariant *dict, const char *key)
{
  gint64 value = -1;

  g_assert_true (g_variant_lookup (dict, key, "x", &value));
  return value;
}

/* Loss is counted over the interval between two reports, not since the
 * call started. */
static void
test_compute (void)
{
  RlQualitySample a = { .time_us = 1000000, .tx_packets = 250, .rx_packets = 250 };
  RlQualitySample b = { .time_us = 6000000,
                        .tx_packets = 500,
                        .rx_packets = 450,
                        .rx_lost = 50,
                        .rx_jitter_us = 4000,
                        .rtt_us = 20000 };
  g_autoptr (GVariant) q = g_variant_ref_sink (rl_quality_compute (&a, &b));
  const char *label = NULL;

  g_assert_cmpfloat_with_epsilon (lookup_double (q, "loss_in_percent"), 20, 0.01);
  g_assert_cmpfloat_with_epsilon (lookup_double (q, "jitter_ms"), 4, 0.01);
  g_assert_cmpfloat_with_epsilon (lookup_double (q, "rtt_ms"), 20, 0.01);
  g_assert_cmpint (lookup_int64 (q, "packets_received"), ==, 450);
  g_assert_true (g_variant_lookup (q, "label", "&s", &label));
  g_assert_cmpstr (label, ==, "poor");
}

/* What baresip 1.0 with Debian's libre 1.1 answered to "audio_debug" during a
 * call with the lab's echo bot. This libre's jitter buffer keeps no counts
 * (no "Stat:" line): the loss comes from its sequence numbers. */
static const char audio_debug[]
  = "\n--- Audio stream ---\n"
    " tx:   encode: PCMU 8000Hz/1ch ptime=20ms S16LE\n"
    "       aubuf: wish_sz=3840 cur_sz=0 filling=0 (cur 0.00ms, max 600.00ms, or 0, ur 0)\n"
    "       source: ausine,440 S16LE\n"
    "       time = 4.000 sec\n"
    " rx:   decode: PCMU 8000Hz/1ch S16LE\n"
    "       aubuf: wish_sz=320 cur_sz=2560 filling=1 (cur 160.00ms, max 160.00ms, or 187, ur 0)\n"
    "       player: aubridge,ringline S16LE\n"
    "       n_discard:0\n"
    "       time = 3.879 sec\n"
    " audio tx pipeline:      ausine ---> PCMU\n"
    " audio rx pipeline:    aubridge <--- PCMU\n"
    " audio dir=sendrecv pt_enc=0\n"
    " local: 0.0.0.0:11912, remote: 192.0.2.2:11548/192.0.2.2:11549\n"
    " mnat: (none) (connected=no)\n"
    " menc: (none) (secure=no)\n"
    "RTP debug:\n"
    " Encode: seq=29636 ssrc=0xde0a6bc0\n"
    "----- RTCP Session: -----\n"
    "  cname=sip:1003@127.0.0.1:34969 SSRC=0xde0a6bc0/3725224896 rx=8000Hz\n"
    "  member 0xd04b476b: lost=0 Jitter=0.4ms RTT=1.5ms\n"
    "                 IP=192.0.2.2:11548 psent=0 rcvd=200\n"
    "  TX: packets=200, octets=32000\n"
    "--- jitter buffer debug---\n"
    " running=1 min=5 cur=5 max=10 [frames]\n"
    " seq_put=14834\n";

static void
test_live_from_debug (void)
{
  RlQualityLive live = { 0 };

  g_assert_true (rl_quality_live_from_debug (audio_debug, &live));
  g_assert_cmpint (live.tx_packets, ==, 200);
  g_assert_cmpint (live.tx_octets, ==, 32000);
  g_assert_cmpint (live.rx_packets, ==, 200);
  g_assert_cmpint (live.rx_lost, ==, -1);
  g_assert_cmpint (live.rx_seq, ==, 14834);
  g_assert_cmpint (live.rtt_us, ==, 1500);
  g_assert_cmpint (live.time_us, >, 0);
}

/* A libre built with JBUF_STAT prints the jitter buffer's own counts; the
 * members' "lost=" (the other party's report on our stream) is not it. */
static void
test_live_from_debug_with_stat (void)
{
  RlQualityLive live = { 0 };

  g_assert_true (rl_quality_live_from_debug (
    "----- RTCP Session: -----\n"
    "  member 0x5e6f7081: lost=3 Jitter=1.5ms RTT=0.4ms\n"
    "                 IP=127.0.0.1:40000 psent=250 rcvd=290\n"
    "  member 0x00000007: lost=0 Jitter=0.0ms RTT=9.0ms\n"
    "  TX: packets=306, octets=48960\n"
    "--- jitter buffer debug---\n"
    " seq_put=33000\n"
    " Stat: put=290 get=288 oos=0 dup=0 late=0 or=0 ur=2 flush=0       put/get_ratio=100% "
    "lost=10 (3.44%)\n",
    &live));
  g_assert_cmpint (live.rx_packets, ==, 290);
  g_assert_cmpint (live.rtt_us, ==, 400);
  g_assert_cmpint (live.rx_lost, ==, 10);
  g_assert_cmpint (live.rx_seq, ==, 33000);
}

/* Without counts, the sequence numbers taken against the packets that
 * arrived, across the 2^16 wrap. */
static void
test_refresh_from_sequence (void)
{
  g_autoptr (GVariant) empty = g_variant_ref_sink (g_variant_new ("a{sv}", NULL));
  RlQualityLive before = { .time_us = 2000000,
                           .tx_packets = 100,
                           .tx_octets = 16000,
                           .rx_packets = 100,
                           .rx_lost = -1,
                           .rx_seq = 65500 };
  RlQualityLive now = { .time_us = 4000000,
                        .tx_packets = 200,
                        .tx_octets = 32000,
                        .rx_packets = 190,
                        .rx_lost = -1,
                        .rx_seq = 64 };
  RlQualityLive restarted = { .time_us = 6000000,
                              .tx_packets = 300,
                              .tx_octets = 48000,
                              .rx_packets = 290,
                              .rx_lost = -1,
                              .rx_seq = 40000 };
  g_autoptr (GVariant) q = g_variant_ref_sink (rl_quality_refresh (empty, &before, &now));
  g_autoptr (GVariant) q2 = g_variant_ref_sink (rl_quality_refresh (empty, &now, &restarted));

  g_assert_cmpfloat_with_epsilon (lookup_double (q, "loss_in_percent"), 10, 0.01);
  g_assert_false (g_variant_lookup (q2, "label", "&s", NULL));
}

/* Output without the figures, or cut short, is refused, never half read. */
static void
test_live_from_bad_debug (void)
{
  static const char *const texts[] = {
    "",
    "--- Audio stream ---\n",
    "----- RTCP Session: -----\n  TX: packets=, octets=1\n",
    "----- RTCP Session: -----\n  TX: packets=-4, octets=1\n",
    "----- RTCP Session: -----\n  TX: packets=5\n",
    "TX: packets=5, octets=800\n", /* no session header */
  };
  RlQualityLive live;

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    g_assert_false (rl_quality_live_from_debug (texts[i], &live));
  g_assert_false (rl_quality_live_from_debug (NULL, &live));
}

/* A session with no member sending RTP yet, and no jitter buffer figures. */
static void
test_live_without_members (void)
{
  RlQualityLive live = { 0 };

  g_assert_true (rl_quality_live_from_debug (
    "----- RTCP Session: -----\n  TX: packets=12, octets=1920\n", &live));
  g_assert_cmpint (live.rx_packets, ==, 0);
  g_assert_cmpint (live.rx_lost, ==, -1);
  g_assert_cmpint (live.rtt_us, ==, 0);
}

/* Between reports: packets and bitrates are read afresh, the incoming loss
 * comes from the jitter buffer over the interval, the report's outgoing loss
 * and jitter stay. */
static void
test_refresh (void)
{
  RlQualitySample a = { .time_us = 1, .tx_packets = 100, .rx_packets = 100 };
  RlQualitySample b = { .time_us = 5000001,
                        .tx_packets = 350,
                        .rx_packets = 350,
                        .tx_lost = 25,
                        .rx_jitter_us = 2000,
                        .rtt_us = 10000 };
  g_autoptr (GVariant) report = g_variant_ref_sink (rl_quality_compute (&a, &b));
  RlQualityLive before = { .time_us = 10000000,
                           .tx_packets = 400,
                           .tx_octets = 64000,
                           .rx_packets = 400,
                           .rx_lost = 0,
                           .rtt_us = 10000 };
  RlQualityLive now = { .time_us = 12000000,
                        .tx_packets = 500,
                        .tx_octets = 80000,
                        .rx_packets = 475,
                        .rx_lost = 25,
                        .rtt_us = 12000 };
  g_autoptr (GVariant) q = g_variant_ref_sink (rl_quality_refresh (report, &before, &now));
  const char *label = NULL;

  g_assert_cmpint (lookup_int64 (q, "packets_sent"), ==, 500);
  g_assert_cmpint (lookup_int64 (q, "packets_received"), ==, 475);
  /* 25 lost of 100 expected in the interval */
  g_assert_cmpfloat_with_epsilon (lookup_double (q, "loss_in_percent"), 25, 0.01);
  g_assert_cmpfloat_with_epsilon (lookup_double (q, "loss_out_percent"), 10, 0.01);
  g_assert_cmpfloat_with_epsilon (lookup_double (q, "loss_percent"), 25, 0.01);
  g_assert_cmpfloat_with_epsilon (lookup_double (q, "jitter_ms"), 2, 0.01);
  g_assert_cmpfloat_with_epsilon (lookup_double (q, "rtt_ms"), 12, 0.01);
  /* 100 packets of 160 + 12 bytes in 2 s */
  g_assert_cmpfloat_with_epsilon (lookup_double (q, "bitrate_out_kbps"), 68.8, 0.01);
  g_assert_cmpfloat_with_epsilon (lookup_double (q, "bitrate_kbps"), 51.6, 0.01);
  g_assert_true (g_variant_lookup (q, "label", "&s", &label));
  g_assert_cmpstr (label, ==, "poor");
  g_assert_cmpint (lookup_int64 (q, "packets_lost_out"), ==, 25);
}

/* Before any report: counts, and a label only once the jitter buffer can
 * tell the loss. */
static void
test_refresh_before_report (void)
{
  g_autoptr (GVariant) empty = g_variant_ref_sink (g_variant_new ("a{sv}", NULL));
  RlQualityLive first = { .time_us = 2000000,
                          .tx_packets = 100,
                          .tx_octets = 16000,
                          .rx_packets = 100,
                          .rx_lost = -1,
                          .rx_seq = -1 };
  RlQualityLive second = { .time_us = 4000000,
                           .tx_packets = 200,
                           .tx_octets = 32000,
                           .rx_packets = 200,
                           .rx_lost = 0,
                           .rx_seq = -1 };
  RlQualityLive third = { .time_us = 6000000,
                          .tx_packets = 300,
                          .tx_octets = 48000,
                          .rx_packets = 300,
                          .rx_lost = 0,
                          .rx_seq = -1 };
  g_autoptr (GVariant) q1 = g_variant_ref_sink (rl_quality_refresh (empty, NULL, &first));
  g_autoptr (GVariant) q2 = g_variant_ref_sink (rl_quality_refresh (empty, &first, &second));
  g_autoptr (GVariant) q3 = g_variant_ref_sink (rl_quality_refresh (empty, &second, &third));
  const char *label = NULL;

  g_assert_cmpint (lookup_int64 (q1, "packets_sent"), ==, 100);
  g_assert_false (g_variant_lookup (q1, "label", "&s", &label));
  g_assert_false (g_variant_lookup (q1, "bitrate_kbps", "d", NULL));
  g_assert_false (g_variant_lookup (q2, "label", "&s", &label));
  g_assert_cmpfloat_with_epsilon (lookup_double (q2, "bitrate_out_kbps"), 68.8, 0.01);
  g_assert_true (g_variant_lookup (q3, "label", "&s", &label));
  g_assert_cmpstr (label, ==, "excellent");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/quality/label", test_label);
  g_test_add_func ("/quality/compute", test_compute);
  g_test_add_func ("/quality/live-from-debug", test_live_from_debug);
  g_test_add_func ("/quality/live-from-debug-with-stat", test_live_from_debug_with_stat);
  g_test_add_func ("/quality/live-from-bad-debug", test_live_from_bad_debug);
  g_test_add_func ("/quality/live-without-members", test_live_without_members);
  g_test_add_func ("/quality/refresh", test_refresh);
  g_test_add_func ("/quality/refresh-before-report", test_refresh_before_report);
  g_test_add_func ("/quality/refresh-from-sequence", test_refresh_from_sequence);
  return g_test_run ();
}
