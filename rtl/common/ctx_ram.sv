// Per-connection state in block RAM, read one frame ahead.
//
// `ram_sdp` holds one word per context. The owner asks for a context
// before it needs it (`pf_req`, `pf_addr`): one clock later the word is in
// the prefetch register (`pf_valid`, `pf_data`), and it stays current: a
// write to that context (`wr_*`) in the read clock or any later clock
// replaces it, so a prefetch may be issued before the write-back of an
// earlier frame of the same connection lands. `pf_drop` empties the
// register (the owner took it, or a command changed the tables). The
// register follows writes to its context even when empty, so a word
// overwritten in the table (a deleted key) does not linger in it.
//
// Latency: `pf_valid` one clock after `pf_req`. One write and one
// prefetch per clock.
`default_nettype none

module ctx_ram #(
    parameter int WIDTH = 32,
    parameter int DEPTH = 64,
    parameter int ADDR_W = $clog2(DEPTH)
) (
    input  logic              clk,
    input  logic              rst,

    input  logic              wr_en,
    input  logic [ADDR_W-1:0] wr_addr,
    input  logic [WIDTH-1:0]  wr_data,

    input  logic              pf_req,
    input  logic [ADDR_W-1:0] pf_addr,
    input  logic              pf_drop,
    output logic              pf_valid,
    output logic [ADDR_W-1:0] pf_addr_q,
    output logic [WIDTH-1:0]  pf_data
);

    logic [WIDTH-1:0]  ram_q;
    logic              rd_pend_reg;     // ram_q holds the word read last clock
    logic              ovr_reg;         // ...but a write to it came later: use pf_data_reg
    logic              valid_reg;
    logic [ADDR_W-1:0] addr_reg;
    logic [WIDTH-1:0]  data_reg /*verilator public_flat_rd*/;

    ram_sdp #(.WIDTH(WIDTH), .DEPTH(DEPTH), .ADDR_W(ADDR_W)) u_ram (
        .clk(clk),
        .wr_en(wr_en), .wr_addr(wr_addr), .wr_data(wr_data),
        .rd_en(pf_req), .rd_addr(pf_addr), .rd_data(ram_q)
    );

    assign pf_valid  = rd_pend_reg || valid_reg;
    assign pf_addr_q = addr_reg;
    assign pf_data   = (rd_pend_reg && !ovr_reg) ? ram_q : data_reg;

    always_ff @(posedge clk) begin : prefetch
        rd_pend_reg <= 1'b0;
        ovr_reg     <= 1'b0;
        if (pf_valid) begin
            data_reg  <= pf_data;
            valid_reg <= 1'b1;
        end
        if (wr_en && wr_addr == addr_reg) begin
            data_reg <= wr_data;
        end
        if (pf_drop) begin
            valid_reg <= 1'b0;
        end
        if (pf_req) begin
            rd_pend_reg <= 1'b1;
            valid_reg   <= 1'b0;
            addr_reg    <= pf_addr;
            if (wr_en && wr_addr == pf_addr) begin
                ovr_reg  <= 1'b1;
                data_reg <= wr_data;
            end
        end
        if (rst) begin
            rd_pend_reg <= 1'b0;
            ovr_reg     <= 1'b0;
            valid_reg   <= 1'b0;
        end
    end

    // Assertions
    `TLSNIC_ASSERT_IMP(CtxRamAddrInRange, pf_req, 32'(pf_addr) < DEPTH, clk, rst)
    `TLSNIC_ASSERT_IMP(CtxRamWrAddrInRange, wr_en, 32'(wr_addr) < DEPTH, clk, rst)

endmodule

`default_nettype wire
