// RX frame admission and resync policy (combinational): classify a wire
// frame and, for one of an offloaded flow, decide from its TCP sequence
// number and the context's sync state how the walker takes it.
//
// Classification, the first that applies: not TCP over IPv4/IPv6 (PARSE),
// bad IPv4 header checksum (CSUM), no flow table hit (NOFLOW), no payload
// (NOPAY). The TCP checksum is known only at the frame's end; the walker
// applies it there.
//
// Sequence tracking (e = the context's expected sequence number):
// - seq before e: a retransmission, passed (OLD) without state change,
//   unless it reaches past e: then walked from e (its first bytes are
//   skipped: PART).
// - seq after e: a gap. Inside the current record's body (its end, the
//   next header `nh`, at or after seq) sync is kept: walked from seq,
//   skipping to the next header (S_SKIP); at a header exactly: walked from
//   there. Otherwise a header was lost: SYNC -> WAIT; SEARCH/TRACK start
//   over with a fresh scan (a TRACK guess is dropped: a scan restart).
// - WAIT: once seq is more than one maximum record past e (so the frame
//   cannot hold the record where sync was lost), stream-scan contexts start
//   scanning (SEARCH); stack-driven ones keep waiting for the host's push.
//   Waiting frames pass unmarked (OOS); the frame that lost sync records
//   the loss.
// - A context whose mid-record GHASH state was lost (a carried frame
//   failed) skips the rest of that record.
//
// Two halves: the sequence number compares and differences (pre_o, from
// meta, st and rxs) and the decision from them (pre); the walker connects
// pre_o to pre, or (its board form) registers it in between.
`default_nettype none

module rx_admit (
    /* verilator lint_off UNUSEDSIGNAL */ // classification, sequence number and payload; the stack-driven flag
    input  tlsnic_pkg::imeta_t meta,
    input  logic               hit,
    input  tlsnic_pkg::kctl_t  kc,
    /* verilator lint_on UNUSEDSIGNAL */
    input  tlsnic_pkg::wst_t   st,
    input  tlsnic_pkg::rxst_t  rxs,
    output tlsnic_pkg::rx_pre_t pre_o,      // the compares of meta, st and rxs
    input  tlsnic_pkg::rx_pre_t pre,        // what the decision uses: pre_o of the same inputs

    output tlsnic_pkg::act_e   act,
    output logic [3:0]         reason,      // RX_REASON_* before the walk (DEC: the walk decides)
    output logic               upd,         // write the context back at the frame end
    output logic               insync,      // the frame is walked in sync (decrypting)
    output logic               part,        // some TLS bytes of the frame are skipped
    output logic               rst,         // a scan restart (a TRACK guess dropped)
    output tlsnic_pkg::wst_t   st_o,
    output tlsnic_pkg::rxst_t  rxs_o,
    output logic [15:0]        pay_lo,
    output logic [15:0]        pay_hi,
    output logic [31:0]        wb_seq       // the expected sequence number written back
);

    logic [31:0] e;
    assign e = st.seq;

    always_comb begin : compares
        pre_o.old        = tlsnic_pkg::seq_lt(meta.seq, e);
        pre_o.end_seq    = meta.seq + 32'(meta.pay_len);
        pre_o.reach      = tlsnic_pkg::seq_lt(e, pre_o.end_seq);
        pre_o.gap        = meta.seq != e;
        pre_o.nh_before  = tlsnic_pkg::seq_lt(rxs.nh, meta.seq);
        pre_o.at_nh      = meta.seq == rxs.nh;
        pre_o.beyond     = tlsnic_pkg::seq_lt(e + tlsnic_pkg::MAX_REC_SPAN, meta.seq);
        pre_o.nopay      = meta.pay_len == 16'd0;
        pre_o.lo_part    = 16'(meta.pay_off) + 16'(e - meta.seq);
        pre_o.pay_hi     = 16'(meta.pay_off) + meta.pay_len;
        pre_o.skip_gap   = 16'(rxs.nh - meta.seq);
        pre_o.skip_stale = 16'(rxs.nh - (pre_o.old ? e : meta.seq));
    end

    always_comb begin : decide
        logic sect_set;
        act    = tlsnic_pkg::A_PASS;
        reason = tlsnic_regs_pkg::RX_REASON_DEC;
        upd    = 1'b0;
        insync = 1'b0;
        part   = 1'b0;
        rst    = 1'b0;
        st_o   = st;
        rxs_o  = rxs;
        pay_lo = 16'(meta.pay_off);
        pay_hi = pre.pay_hi;
        wb_seq = pre.end_seq;
        sect_set = 1'b0;
        if (!meta.tcp_nocsum) begin
            reason = tlsnic_regs_pkg::RX_REASON_PARSE;
        end else if (!meta.ip_csum_ok) begin
            reason = tlsnic_regs_pkg::RX_REASON_CSUM;
        end else if (!hit) begin
            reason = tlsnic_regs_pkg::RX_REASON_NOFLOW;
        end else if (pre.nopay) begin
            reason = tlsnic_regs_pkg::RX_REASON_NOPAY;
        end else begin
            act = tlsnic_pkg::A_WALK;
            upd = 1'b1;
            if (pre.old) begin
                if (pre.reach && rxs.mode != tlsnic_pkg::M_WAIT) begin
                    // overlaps the expected sequence number: walk from there
                    pay_lo = pre.lo_part;
                    part   = 1'b1;
                end else begin
                    act    = tlsnic_pkg::A_PASS;
                    reason = tlsnic_regs_pkg::RX_REASON_OLD;
                    upd    = 1'b0;
                end
            end else if (pre.gap) begin
                // a gap before this frame
                if ((rxs.mode == tlsnic_pkg::M_SYNC
                     || (rxs.mode == tlsnic_pkg::M_TRACK && st.sect == tlsnic_pkg::S_SKIP))
                    && st.sect != tlsnic_pkg::S_HDR && !pre.nh_before) begin
                    // inside the current record: resume at the next header
                    sect_set = 1'b1;
                    st_o.soff = 4'd0;
                    if (pre.at_nh) begin
                        st_o.sect = tlsnic_pkg::S_HDR;
                        st_o.rec  = st.rec + 64'd1;
                    end else begin
                        st_o.sect  = tlsnic_pkg::S_SKIP;
                        rxs_o.skip = pre.skip_gap;
                        part       = 1'b1;
                    end
                end else if (rxs.mode == tlsnic_pkg::M_SYNC) begin
                    rxs_o.mode = tlsnic_pkg::M_WAIT;     // a header was in the gap
                end else if (rxs.mode != tlsnic_pkg::M_WAIT) begin
                    rxs_o.mode = tlsnic_pkg::M_SEARCH;   // scanning or tracking: start over here
                    sect_set   = 1'b1;
                    st_o.sect  = tlsnic_pkg::S_SCAN;
                    st_o.soff  = 4'd0;
                    rxs_o.hcnt = 3'd0;
                    rxs_o.req  = 1'b0;
                    rxs_o.conf = 4'd0;
                    rst        = rxs.mode == tlsnic_pkg::M_TRACK;
                end
            end
            if (act == tlsnic_pkg::A_WALK && !sect_set && st.stale && st.sect == tlsnic_pkg::S_BODY) begin
                // the record's GHASH state is lost: resume at the next header
                st_o.sect  = tlsnic_pkg::S_SKIP;
                st_o.soff  = 4'd0;
                rxs_o.skip = pre.skip_stale;
                part       = 1'b1;
            end
            if (act == tlsnic_pkg::A_WALK && rxs_o.mode == tlsnic_pkg::M_WAIT) begin
                if (!kc.sd && pre.beyond) begin
                    rxs_o.mode = tlsnic_pkg::M_SEARCH;
                    st_o.sect  = tlsnic_pkg::S_SCAN;
                    st_o.soff  = 4'd0;
                    rxs_o.hcnt = 3'd0;
                    rxs_o.req  = 1'b0;
                    rxs_o.conf = 4'd0;
                    part       = 1'b0;
                    pay_lo     = 16'(meta.pay_off);
                end else begin
                    act    = tlsnic_pkg::A_PASS;
                    reason = tlsnic_regs_pkg::RX_REASON_OOS;
                    upd    = rxs.mode != tlsnic_pkg::M_WAIT;    // record the loss
                    wb_seq = e;
                end
            end
            insync = rxs_o.mode == tlsnic_pkg::M_SYNC;
        end
    end

endmodule

`default_nettype wire
