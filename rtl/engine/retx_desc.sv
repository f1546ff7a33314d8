// TX retransmit descriptor registers of the record walker.
//
// A retransmit descriptor frame (walker action A_DESC) carries the RETX
// header (tlsnic_regs_pkg RETX_*: the segment's TLS record header, record
// number, nonce, the segment's offset in the record, flags and the record's
// tag). Its bytes are collected beat by beat (`step`: a walker step of the
// frame; byte i of the header is beat i / W, lane i % W, `base` the beat's
// first payload byte) and decoded when the frame ends (`done`) into the
// walker state at the segment's first byte: offset o in a record of length
// field L is in the header [0, 5), the TLS 1.2 nonce [5, 13), the body up to
// 5 + L - 16, then the tag. The registers (`rt_*`) hold one descriptor for
// one segment: the next RETX frame's start (`taken`) clears `rt_valid`.
// A descriptor shorter than the header, of an impossible record length or
// an offset past the tag is not valid (that RETX frame is then dumped by
// tx_admit).
`default_nettype none

module retx_desc #(
    parameter int W     = 16,
    parameter int CTX_W = 6,
    parameter int KC_W  = $clog2(W) + 1
) (
    input  logic              clk,
    input  logic              rst,
    input  logic              wipe,         // zero the tag register

    input  logic              step,         // a step of the descriptor frame
    input  logic              done,         // the descriptor frame ends
    input  logic              taken,        // a RETX frame starts
    input  logic [15:0]       base,         // the beat's first payload byte
    input  logic [W*8-1:0]    data,
    input  logic [KC_W-1:0]   keep_n,       // the beat's bytes
    input  logic              v13,          // the context's TLS version is 1.3
    input  logic [CTX_W-1:0]  ctx,

    output logic              rt_valid,
    output logic [CTX_W-1:0]  rt_ctx,
    output tlsnic_pkg::wst_t  rt_st,        // the walker state at the segment's first byte
    output logic              rt_tagv,      // the descriptor's tag is to be used
    output logic              rt_mid,       // the segment starts inside the record
    output logic [15:0]       rt_from,      // body bytes from the segment's start (0: starts in the tag)
    output logic [127:0]      rt_tag
);

    // rd_vec: the header with the beat of this step, byte 0 in the top bits.
    localparam int RD_N = tlsnic_regs_pkg::RETX_HDR_BYTES;
    logic [8*RD_N-1:0] rd_buf, rd_vec;
    always_comb begin : rd_merge
        for (int i = 0; i < RD_N; i++) begin
            rd_vec[8*(RD_N-1-i) +: 8] = ((base >> $clog2(W)) == 16'(i / W)) ? data[8*(i % W) +: 8]
                                                                           : rd_buf[8*(RD_N-1-i) +: 8];
        end
    end

    function automatic logic [7:0] rd_byte(input logic [8*RD_N-1:0] v, input int i);
        rd_byte = v[8*(RD_N-1-i) +: 8];
    endfunction

    tlsnic_pkg::wst_t rd_st;
    logic             rd_ok, rd_tagv;
    logic [15:0]      rd_len, rd_off, rd_hl, rd_bend, rd_from;
    /* verilator lint_off UNUSEDSIGNAL */ // flag bits 7:1 reserved
    logic [7:0]       rd_flags;
    /* verilator lint_on UNUSEDSIGNAL */
    always_comb begin : rd_decode
        rd_len  = {rd_byte(rd_vec, tlsnic_regs_pkg::RETX_TLSHDR_OFF + 3),
                   rd_byte(rd_vec, tlsnic_regs_pkg::RETX_TLSHDR_OFF + 4)};
        rd_off  = {rd_byte(rd_vec, tlsnic_regs_pkg::RETX_OFFSET_OFF),
                   rd_byte(rd_vec, tlsnic_regs_pkg::RETX_OFFSET_OFF + 1)};
        rd_flags = rd_byte(rd_vec, tlsnic_regs_pkg::RETX_FLAGS_OFF);
        rd_tagv  = rd_flags[tlsnic_regs_pkg::RETX_FLAG_TAG];
        rd_hl   = v13 ? 16'd5 : 16'd13;
        rd_bend = rd_len - 16'd11;
        rd_st   = '0;
        for (int i = 0; i < 4; i++) begin
            rd_st.seq[31 - 8*i -: 8] = rd_byte(rd_vec, tlsnic_regs_pkg::RETX_SEQ_OFF + i);
        end
        for (int i = 0; i < 8; i++) begin
            rd_st.rec[63 - 8*i -: 8]   = rd_byte(rd_vec, tlsnic_regs_pkg::RETX_REC_OFF + i);
            rd_st.nonce[63 - 8*i -: 8] = rd_byte(rd_vec, tlsnic_regs_pkg::RETX_NONCE_OFF + i);
        end
        for (int i = 0; i < 5; i++) begin
            rd_st.hdr[39 - 8*i -: 8] = rd_byte(rd_vec, tlsnic_regs_pkg::RETX_TLSHDR_OFF + i);
        end
        rd_st.blen = rd_len - (v13 ? 16'd16 : 16'd24);
        rd_ok      = base + 16'(keep_n) >= 16'(RD_N)
                  && rd_len >= (v13 ? 16'd17 : 16'd24) && rd_len <= tlsnic_pkg::TX_REC_LEN_MAX;
        if (rd_off < 16'd5) begin
            rd_st.sect = tlsnic_pkg::S_HDR;
            rd_st.soff = 4'(rd_off);
        end else if (rd_off < rd_hl) begin
            rd_st.sect = tlsnic_pkg::S_NONCE;
            rd_st.soff = 4'(rd_off - 16'd5);
        end else if (rd_off < rd_bend) begin
            rd_st.sect = tlsnic_pkg::S_BODY;
            rd_st.boff = rd_off - rd_hl;
        end else begin
            rd_st.sect = tlsnic_pkg::S_TAG;
            rd_st.soff = 4'(rd_off - rd_bend);
            if (rd_off >= rd_bend + 16'd16) begin
                rd_ok = 1'b0;
            end
        end
        rd_from = (rd_off < rd_bend) ? rd_bend - rd_off : 16'd0;
    end

    always_ff @(posedge clk) begin : regs
        if (step) begin
            rd_buf <= rd_vec;
        end
        if (done) begin
            rt_valid <= rd_ok;
            rt_ctx   <= ctx;
            rt_st    <= rd_st;
            rt_tagv  <= rd_tagv;
            rt_mid   <= rd_off != 16'd0;
            rt_from  <= rd_from;
            rt_tag   <= rd_vec[8*(RD_N-tlsnic_regs_pkg::RETX_TAG_OFF)-1 -: 128];
        end
        if (taken) begin
            rt_valid <= 1'b0;           // one segment per descriptor
        end
        if (rst || wipe) begin
            rt_valid <= 1'b0;
            rt_tag   <= 128'd0;
        end
    end

    `TLSNIC_ASSERT_IMP(RetxDescOneEvent, done, !taken, clk, rst)

endmodule

`default_nettype wire
