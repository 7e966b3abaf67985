//! A TCP proxy that tests can cut and restore, to play a dependency (PostgreSQL, memcached)
//! going down and coming back without touching the shared service.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A proxy from a local port to `upstream`.
pub struct TcpProxy {
    address: SocketAddr,
    upstream: String,
    tasks: Arc<Mutex<Vec<JoinHandle<()>>>>,
    acceptor: Option<JoinHandle<()>>,
}

impl TcpProxy {
    /// Starts proxying a free local port to `upstream` (`host:port`).
    pub async fn start(upstream: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binding the proxy");
        let address = listener.local_addr().expect("the proxy's address");
        let mut proxy = Self {
            address,
            upstream: upstream.to_owned(),
            tasks: Arc::new(Mutex::new(Vec::new())),
            acceptor: None,
        };
        proxy.accept(listener);
        proxy
    }

    /// The local address clients connect to.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    fn accept(&mut self, listener: TcpListener) {
        let upstream = self.upstream.clone();
        let tasks = Arc::clone(&self.tasks);
        self.acceptor = Some(tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let upstream = upstream.clone();
                let task = tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(&upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                tasks.lock().unwrap().push(task);
            }
        }));
    }

    /// Stops listening and cuts every open connection.
    pub fn cut(&mut self) {
        if let Some(acceptor) = self.acceptor.take() {
            acceptor.abort();
        }
        for task in self.tasks.lock().unwrap().drain(..) {
            task.abort();
        }
    }

    /// Listens again on the same port.
    pub async fn restore(&mut self) {
        // The aborted acceptor drops its listener asynchronously; retry the bind briefly.
        for _ in 0..50 {
            if let Ok(listener) = TcpListener::bind(self.address).await {
                self.accept(listener);
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("the proxy port {} could not be bound again", self.address);
    }
}

impl Drop for TcpProxy {
    fn drop(&mut self) {
        self.cut();
    }
}
