// TX frame admission (combinational): what the walker does with a host
// frame, from its descriptor, its headers and its context's state.
//
// Descriptor (s_tx_axis_tuser of the first beat): bit TXD_OFFLOAD, the
// operation (TXD_OP_*), the context id.
// - Not offloaded: passed unchanged.
// - SEND: dropped and counted when it is not TCP over IPv4/IPv6 (1), names a
//   context that is not installed (2), its sequence number is not the one
//   the context expects (3), or the context lost its mid-record crypto
//   state (a carried frame failed; 4: rebuilt by the driver's DUMP). A
//   segment without payload is passed. Otherwise the payload is walked.
// - DUMP (crypto-state rebuild): the frame is a 16-byte header (TCP sequence
//   number, record number, flags; flag DUMP_FLAG_START: the bytes start a
//   record at that sequence number) and record bytes, walked from byte 16 to
//   the frame end and never transmitted. Without the start flag they must
//   continue the context at its expected sequence number.
// - RETX_DESC: a retransmit descriptor (RETX_* header), taken by the walker
//   (A_DESC) and never transmitted; dropped (2) if the context is not
//   installed.
// - RETX: a retransmitted segment. It must match the last descriptor the
//   walker took (`rt_match`: same context, valid, its sequence number), else
//   it is dropped (5). The walk starts from the descriptor's position
//   (`rt_st`) instead of the context's state, which it leaves as it is. A
//   segment that starts past its record's first byte and reaches the
//   record's tag needs the descriptor's tag (`rt_tagv`), else it is dropped
//   (5): the device cannot compute that tag without the record's prefix.
//
// Two halves, as in rx_admit: the compares (pre_o: sequence numbers
// against the context and the descriptor, the payload length against the
// tag's start) and the decision from them (pre); the walker connects
// pre_o to pre, or (its board form) registers it in between.
`default_nettype none

module tx_admit (
    /* verilator lint_off UNUSEDSIGNAL */ // TX needs the descriptor, DUMP header, TCP sequence and payload
    input  tlsnic_pkg::imeta_t meta,
    input  logic               ctx_ok,      // the context id is below N_CTX
    input  tlsnic_pkg::kctl_t  kc,
    /* verilator lint_on UNUSEDSIGNAL */
    input  tlsnic_pkg::wst_t   st,
    // the walker's retransmit descriptor
    input  logic               rt_match,    // valid, of this frame's context and sequence number
    input  tlsnic_pkg::wst_t   rt_st,       // the walker state at the segment's first byte
    input  logic               rt_tagv,     // the record's tag is given
    input  logic               rt_mid,      // the segment starts past the record's first byte
    input  logic [15:0]        rt_tag_from, // payload bytes before the record's tag
    output tlsnic_pkg::tx_pre_t pre_o,      // the compares of meta, st and the descriptor
    input  tlsnic_pkg::tx_pre_t pre,        // what the decision uses: pre_o of the same inputs

    output tlsnic_pkg::act_e   act,
    output logic               dump,
    output logic               retx,
    output logic [2:0]         why,
    output tlsnic_pkg::wst_t   st_o,        // the state the walk starts from
    output logic [15:0]        pay_lo,      // payload bytes [pay_lo, pay_hi) of the frame
    output logic [15:0]        pay_hi
);

    logic        offload;
    logic [1:0]  op;
    logic [31:0] d_seq;
    logic [63:0] d_rec;
    logic        d_start;
    logic        lost;

    assign offload = meta.tuser[tlsnic_regs_pkg::TXD_OFFLOAD];
    assign op      = meta.tuser[tlsnic_regs_pkg::TXD_OP_LSB +: 2];
    assign d_seq   = meta.dump[103 -: 32];
    assign d_rec   = meta.dump[71 -: 64];
    assign d_start = meta.dump[tlsnic_regs_pkg::DUMP_FLAG_START];
    assign lost    = st.stale && st.sect == tlsnic_pkg::S_BODY;

    always_comb begin : compares
        pre_o.at_seq   = meta.seq == st.seq;
        pre_o.dump_at  = d_seq == st.seq;
        pre_o.at_desc  = meta.seq == rt_st.seq;
        pre_o.past_tag = meta.pay_len > rt_tag_from;
        pre_o.nopay    = meta.pay_len == 16'd0;
        pre_o.pay_hi   = 16'(meta.pay_off) + meta.pay_len;
    end

    always_comb begin : decide
        act    = tlsnic_pkg::A_PASS;
        dump   = 1'b0;
        retx   = 1'b0;
        why    = 3'd0;
        st_o   = st;
        pay_lo = 16'(meta.pay_off);
        pay_hi = pre.pay_hi;
        if (!offload) begin
            act = tlsnic_pkg::A_PASS;
        end else if (op == 2'(tlsnic_regs_pkg::TXD_OP_DUMP)) begin
            pay_lo = 16'd16;
            pay_hi = 16'hFFFF;
            if (!ctx_ok || !kc.valid) begin
                act = tlsnic_pkg::A_DROP;
                why = 3'd2;
            end else if (!d_start && !pre.dump_at) begin
                act = tlsnic_pkg::A_DROP;
                why = 3'd3;
            end else if (!d_start && lost) begin
                act = tlsnic_pkg::A_DROP;
                why = 3'd4;
            end else begin
                act  = tlsnic_pkg::A_WALK;
                dump = 1'b1;
                if (d_start) begin
                    st_o.seq   = d_seq;
                    st_o.rec   = d_rec;
                    st_o.sect  = tlsnic_pkg::S_HDR;
                    st_o.soff  = 4'd0;
                    st_o.stale = 1'b0;
                end
            end
        end else if (op == 2'(tlsnic_regs_pkg::TXD_OP_RETX_DESC)) begin
            if (!ctx_ok || !kc.valid) begin
                act = tlsnic_pkg::A_DROP;
                why = 3'd2;
            end else begin
                act = tlsnic_pkg::A_DESC;
            end
        end else if (op == 2'(tlsnic_regs_pkg::TXD_OP_RETX)) begin
            if (!meta.tcp_nocsum) begin
                act = tlsnic_pkg::A_DROP;
                why = 3'd1;
            end else if (!ctx_ok || !kc.valid) begin
                act = tlsnic_pkg::A_DROP;
                why = 3'd2;
            end else if (!rt_match || !pre.at_desc) begin
                act = tlsnic_pkg::A_DROP;
                why = 3'd5;
            end else if (pre.nopay) begin
                act = tlsnic_pkg::A_PASS;
            end else if (rt_mid && !rt_tagv && pre.past_tag) begin
                act = tlsnic_pkg::A_DROP;
                why = 3'd5;
            end else begin
                act  = tlsnic_pkg::A_WALK;
                retx = 1'b1;
                st_o = rt_st;
            end
        end else begin
            if (!meta.tcp_nocsum) begin
                act = tlsnic_pkg::A_DROP;
                why = 3'd1;
            end else if (!ctx_ok || !kc.valid) begin
                act = tlsnic_pkg::A_DROP;
                why = 3'd2;
            end else if (!pre.at_seq) begin
                act = tlsnic_pkg::A_DROP;
                why = 3'd3;
            end else if (lost) begin
                act = tlsnic_pkg::A_DROP;
                why = 3'd4;
            end else if (!pre.nopay) begin
                act = tlsnic_pkg::A_WALK;
            end
        end
    end

endmodule

`default_nettype wire
