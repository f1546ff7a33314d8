//! The NIC as the kernel sees it: one device, the TX and RX drivers, the
//! `tlsdev_ops` (`tls_dev_add(direction, crypto_info,
//! start_offload_tcp_sn)`, `tls_dev_del`, `tls_dev_resync`), the feature
//! flags `tls-hw-tx-offload` / `tls-hw-rx-offload` (a change affects only
//! connections added later, as the seed says), the context capacity (the
//! seed's `devlink resource`), the kernel's own counters (`TlsTxDevice`,
//! `TlsTxSw`, ... of /proc/net/tls_stat), and an RX path on tokio where
//! device events (resync requests) are handled by a worker task while frames
//! keep flowing.

use crate::ktls_tx::KtlsTx;
use crate::rx_device::{RxDevice, RxFrame, RxResyncMode};
use crate::rx_host::{ResyncEvent, RxDriver, RxDriverConfig, SockId};
use crate::tx_offload::{TxDevice, TxDriver, TxDriverConfig, XmitError, XmitVerdict};
use crate::types::{CtxId, DeviceError, Direction, FlowKey, TlsCryptoInfo};
use std::cell::RefCell;

/// What the device offers (read once at probe).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Capabilities {
    /// TX contexts (connections) the device holds.
    pub tx_contexts: usize,
    /// RX contexts.
    pub rx_contexts: usize,
}

/// A device with both directions.
pub trait NicDevice: TxDevice + RxDevice {
    /// The device's capabilities.
    fn capabilities(&mut self) -> Result<Capabilities, DeviceError>;
}

/// `ethtool -K` features.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Features {
    /// `tls-hw-tx-offload`.
    pub tls_hw_tx_offload: bool,
    /// `tls-hw-rx-offload`.
    pub tls_hw_rx_offload: bool,
}

impl Default for Features {
    fn default() -> Self {
        Features { tls_hw_tx_offload: true, tls_hw_rx_offload: true }
    }
}

/// The kernel's per-netns TLS counters (`/proc/net/tls_stat`) that the
/// offload decides.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TlsStat {
    /// `TlsTxDevice`: TX sockets offloaded.
    pub tx_device: u64,
    /// `TlsTxSw`: TX sockets in software (add refused or feature off).
    pub tx_sw: u64,
    /// `TlsRxDevice`.
    pub rx_device: u64,
    /// `TlsRxSw`.
    pub rx_sw: u64,
}

/// The NIC.
pub struct Nic<D: NicDevice> {
    rx: RxDriver<D>,
    tx: TxDriver,
    features: Features,
    caps: Capabilities,
    stat: TlsStat,
}

impl<D: NicDevice> Nic<D> {
    /// Probe `dev`.
    pub fn new(mut dev: D, tx: TxDriverConfig, rx: RxDriverConfig) -> Result<Self, DeviceError> {
        let caps = dev.capabilities()?;
        Ok(Nic {
            rx: RxDriver::new(dev, rx),
            tx: TxDriver::new(tx),
            features: Features::default(),
            caps,
            stat: TlsStat::default(),
        })
    }

    /// The device (`devlink resource`: [`Nic::capabilities`]).
    pub fn capabilities(&self) -> Capabilities {
        self.caps
    }

    /// Current features.
    pub fn features(&self) -> Features {
        self.features
    }

    /// `ethtool -K`: connections already offloaded keep their contexts; the
    /// change applies to connections set up from now on.
    pub fn set_features(&mut self, f: Features) {
        self.features = f;
    }

    /// The device.
    pub fn device(&mut self) -> &mut D {
        self.rx.device()
    }

    /// The RX driver.
    pub fn rx(&mut self) -> &mut RxDriver<D> {
        &mut self.rx
    }

    /// The TX driver.
    pub fn tx(&self) -> &TxDriver {
        &self.tx
    }

    /// `tlsdev_ops.tls_dev_add`. `flow` and `mode` matter for RX only.
    pub fn tls_dev_add(
        &mut self,
        dir: Direction,
        flow: FlowKey,
        info: &TlsCryptoInfo,
        start_offload_tcp_sn: u32,
        mode: RxResyncMode,
    ) -> Result<CtxId, DeviceError> {
        match dir {
            Direction::Tx if !self.features.tls_hw_tx_offload => {
                Err(DeviceError::Unsupported("tls-hw-tx-offload is off"))
            }
            Direction::Rx if !self.features.tls_hw_rx_offload => {
                Err(DeviceError::Unsupported("tls-hw-rx-offload is off"))
            }
            Direction::Tx => self.tx.tls_dev_add(self.rx.device(), dir, info, start_offload_tcp_sn),
            Direction::Rx => self.rx.device().rx_add(flow, info, start_offload_tcp_sn, mode),
        }
    }

    /// `tlsdev_ops.tls_dev_del`.
    pub fn tls_dev_del(&mut self, dir: Direction, ctx: CtxId) -> Result<(), DeviceError> {
        match dir {
            Direction::Tx => self.tx.tls_dev_del(self.rx.device(), ctx, dir),
            Direction::Rx => self.rx.device().rx_del(ctx),
        }
    }

    /// `tlsdev_ops.tls_dev_resync`.
    pub fn tls_dev_resync(&mut self, dir: Direction, ctx: CtxId, seq: u32, rcd_sn: u64) -> Result<(), DeviceError> {
        match dir {
            Direction::Tx => self.tx.tls_dev_resync(self.rx.device(), ctx, dir, seq, rcd_sn),
            Direction::Rx => self.rx.device().rx_resync(ctx, seq, rcd_sn),
        }
    }

    /// `setsockopt(TLS_TX)`: the socket's TX side, offloaded if the feature
    /// is on and the device takes it, else in software for its life.
    pub fn tx_socket(&mut self, info: TlsCryptoInfo, start_sn: u32, pre_offload: Vec<u8>) -> KtlsTx {
        let mut sk = KtlsTx::new(info, start_sn, pre_offload);
        let (tx, dev, on) = (&mut self.tx, self.rx.device(), self.features.tls_hw_tx_offload);
        let r = sk.set_device_offload(|d, i, sn| {
            if on {
                tx.tls_dev_add(dev, d, i, sn)
            } else {
                Err(DeviceError::Unsupported("tls-hw-tx-offload is off"))
            }
        });
        match r {
            Ok(_) => self.stat.tx_device += 1,
            Err(_) => self.stat.tx_sw += 1,
        }
        sk
    }

    /// `setsockopt(TLS_RX)`: the socket's RX side (`flow` as received).
    pub fn rx_socket(&mut self, flow: FlowKey, info: TlsCryptoInfo, copied_seq: u32, mode: RxResyncMode) -> SockId {
        let s = self.rx.open_with(flow, info, copied_seq, mode, self.features.tls_hw_rx_offload);
        if self.rx.offloaded(s) {
            self.stat.rx_device += 1;
        } else {
            self.stat.rx_sw += 1;
        }
        s
    }

    /// The netdev the kTLS TX core calls while pushing records
    /// ([`KtlsTx::write_with`]).
    pub fn tx_netdev(&mut self) -> crate::tx_offload::Netdev<'_> {
        self.tx.netdev(self.rx.device())
    }

    /// Transmit a TCP segment of `sk`.
    pub fn xmit(&mut self, frame: Vec<u8>, sk: &mut KtlsTx) -> Result<XmitVerdict, XmitError> {
        self.tx.xmit(self.rx.device(), frame, sk)
    }

    /// Receive frames from the wire.
    pub fn receive(&mut self, wire: Vec<Vec<u8>>) -> Vec<RxFrame> {
        self.rx.receive(wire)
    }

    /// The kernel's counters.
    pub fn tls_stat(&self) -> TlsStat {
        self.stat
    }

    /// Every counter, `ethtool -S` order (the seed's first), plus the
    /// kernel's `/proc/net/tls_stat` ones.
    pub fn ethtool_stats(&mut self) -> Result<Vec<(String, u64)>, String> {
        let mut all: Vec<(&str, u64)> = self.rx.device().rx_counters().named();
        all.extend(self.rx.stats().named());
        all.extend(self.tx.ethtool_stats(self.rx.device()).map_err(|e| e.to_string())?);
        all.extend([
            ("TlsTxDevice", self.stat.tx_device),
            ("TlsTxSw", self.stat.tx_sw),
            ("TlsRxDevice", self.stat.rx_device),
            ("TlsRxSw", self.stat.rx_sw),
        ]);
        crate::stats::ethtool_order(&all)
    }
}

/// The RX path on tokio (one thread, two concurrent tasks): the datapath
/// task takes batches of wire frames from `input` and pushes them through
/// the NIC (NAPI), while a worker task handles the device's resync
/// requests (mlx5: a work item that queries the device, GET_PSV, then calls
/// `tls_offload_rx_resync_async_request_end`), completing each after
/// `worker_yields` scheduler turns: frames keep flowing meanwhile, so the
/// kernel may parse the guessed record before the worker's answer (the
/// race the async log exists for). Returns what the device delivered and
/// how many events the worker handled.
pub async fn rx_path<D: NicDevice>(
    nic: &RefCell<Nic<D>>,
    mut input: tokio::sync::mpsc::Receiver<Vec<Vec<u8>>>,
    worker_yields: u32,
) -> (Vec<RxFrame>, u64) {
    let (ev_tx, mut ev_rx) = tokio::sync::mpsc::unbounded_channel::<ResyncEvent>();
    let datapath = async move {
        let mut delivered = Vec::new();
        while let Some(batch) = input.recv().await {
            let (out, events) = {
                let mut n = nic.borrow_mut();
                let out = n.receive(batch);
                (out, n.rx().take_events())
            };
            for e in events {
                // the worker runs until this sender is dropped
                let _ = ev_tx.send(e);
            }
            delivered.extend(out);
            tokio::task::yield_now().await;
        }
        delivered
    };
    let worker = async {
        let mut handled = 0u64;
        while let Some(ResyncEvent::Request { sock, guess, request }) = ev_rx.recv().await {
            for _ in 0..worker_yields {
                tokio::task::yield_now().await;
            }
            nic.borrow_mut().rx().resync_request_end(sock, guess, request);
            handled += 1;
        }
        handled
    };
    tokio::join!(datapath, worker)
}
