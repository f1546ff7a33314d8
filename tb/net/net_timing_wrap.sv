// Timing harness for tb/net/fmax.sh (not part of rtl/files.f): registers
// every input of net_hdr_parse and tcp_csum (fed from a shift register, so
// a few pins suffice) and every output (folded into one pin), so that
// nextpnr reports the register-to-register paths through the two units as
// an integration would see them.
`default_nettype none

module net_timing_wrap #(
    parameter int DATA_W = 128
) (
    input  logic clk,
    input  logic rst,
    input  logic din,
    output logic dout
);
    localparam int KEEP_W = DATA_W / 8;
    localparam int IN_W   = DATA_W + KEEP_W + 2;

    logic [IN_W-1:0]      sh_reg;
    logic [DATA_W-1:0]    tdata_reg;
    logic [KEEP_W-1:0]    tkeep_reg;
    logic                 beat_reg, tlast_reg;

    always_ff @(posedge clk) begin
        sh_reg <= {sh_reg[IN_W-2:0], din ^ sh_reg[IN_W-1]};
        {tdata_reg, tkeep_reg, beat_reg, tlast_reg} <= sh_reg;
    end

    logic                 loc_valid, meta_valid, eof_valid;
    net_pkg::l4_loc_t     loc;
    net_pkg::hdr_meta_t   meta;
    net_pkg::frame_end_t  eof;
    logic                 csum_valid, csum_ok;
    logic [15:0]          csum_sum, csum_rx;

    net_hdr_parse #(.DATA_W(DATA_W)) u_parse (
        .clk        (clk),
        .rst        (rst),
        .mon_tdata  (tdata_reg),
        .mon_tkeep  (tkeep_reg),
        .mon_beat   (beat_reg),
        .mon_tlast  (tlast_reg),
        .loc_valid  (loc_valid),
        .loc        (loc),
        .meta_valid (meta_valid),
        .meta       (meta),
        .eof_valid  (eof_valid),
        .eof        (eof)
    );

    tcp_csum #(.DATA_W(DATA_W)) u_csum (
        .clk        (clk),
        .rst        (rst),
        .mon_tdata  (tdata_reg),
        .mon_tkeep  (tkeep_reg),
        .mon_beat   (beat_reg),
        .mon_tlast  (tlast_reg),
        .loc_valid  (loc_valid),
        .loc        (loc),
        .csum_valid (csum_valid),
        .csum_ok    (csum_ok),
        .csum_sum   (csum_sum),
        .csum_rx    (csum_rx)
    );

    localparam int OUT_W = 3 + $bits(loc) + $bits(meta) + $bits(eof) + 2 + 32;
    logic [OUT_W-1:0] out_reg;

    always_ff @(posedge clk) begin
        out_reg <= {loc_valid, meta_valid, eof_valid, loc, meta, eof,
                    csum_valid, csum_ok, csum_sum, csum_rx};
        dout    <= ^out_reg;
    end
endmodule

`default_nettype wire
