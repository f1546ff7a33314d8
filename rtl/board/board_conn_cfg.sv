// Board self-test: the fixed parameters of self-test connection `conn`
// (combinational). The install sequencer (board_seq) and both frame
// generators (board_frame_gen: the sender and the checker's copy) take
// every per-connection value from here, so they cannot disagree.
//
//   version   TLS 1.3 when conn[0] is set, else TLS 1.2
//   cipher    AES-256-GCM when conn[1] is set, else AES-128-GCM
//   key       word j (bytes 4j..4j+3, CMD_KEYj) = 0x9E3779B9 ^ {conn, j, 0xC0DE}
//   iv        {salt, explicit nonce start} (TLS 1.2) / the 12-byte IV (TLS 1.3);
//             the explicit nonce start is 0x000000c1_FFFFFFF0 + ..., so the
//             nonce of the 17th record carries into the upper word
//   tcp_seq0  start_offload_tcp_sn = 0xFFFFF000 ^ (conn << 20): the TCP
//             sequence number wraps within the first 4 KB of connection 0
//   rec0      record sequence number of the first record = {conn, 0xFFFFFFFE}:
//             the 64-bit record number carries after two records
//   4-tuple   as the wire frames carry it: 10.0.0.(conn+1):(0xC000+conn) ->
//             10.0.1.1:443 (the RX flow; TX frames are the same frames)
`default_nettype none

module board_conn_cfg #(
    parameter int CONN_W = 4
) (
    input  logic [CONN_W-1:0] conn,
    output logic              v13,
    output logic              key256,
    output logic [255:0]      key,
    output logic [95:0]       iv,
    output logic [31:0]       tcp_seq0,
    output logic [63:0]       rec0,
    output logic [31:0]       saddr,
    output logic [31:0]       daddr,
    output logic [15:0]       sport,
    output logic [15:0]       dport
);

    logic [7:0] c8;
    assign c8 = 8'(conn);

    assign v13    = c8[0];
    assign key256 = c8[1];
    always_comb begin
        for (int j = 0; j < 8; j++) begin
            key[255 - 32*j -: 32] = 32'h9E37_79B9 ^ {c8, 8'(j), 16'hC0DE};
        end
    end
    assign iv       = {32'hCAFE_0000 | {24'd0, c8}, 24'h0000_00, 8'hC1 ^ c8, 32'hFFFF_FFF0};
    assign tcp_seq0 = 32'hFFFF_F000 ^ {4'd0, c8, 20'd0};
    assign rec0     = {24'd0, c8, 32'hFFFF_FFFE};
    assign saddr    = 32'h0A00_0001 + {24'd0, c8};
    assign daddr    = 32'h0A00_0101;
    assign sport    = 16'hC000 + {8'd0, c8};
    assign dport    = 16'd443;

endmodule

`default_nettype wire
