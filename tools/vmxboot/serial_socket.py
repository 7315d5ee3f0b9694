"""A two-way serial line to Bochs's COM1, for tests that type to a guest.

Bochs's `com1: mode=socket-client, dev=HOST:PORT` connects to HOST:PORT when it starts (an unanswered
connect leaves COM1 unconnected, no error) and then sends every byte the machine writes to the UART
over it, and puts every byte it receives into the UART's receive buffer. SerialSocket listens on a
free port of 127.0.0.1 before Bochs starts, copies what arrives into the boot's serial log file (so
the log is kept, and parsed, as with `mode=file`) and sends what the test types.

    with SerialSocket() as line, Boot("bochs", ..., bochs_lines=(line.bochs_line,)) as running:
        line.record_to(running.log_path)
        running.wait_for("login:")
        line.type("root\\n")
"""
import socket
import threading
import time

CONNECT_TIMEOUT_S = 120


class SerialSocket:
    def __init__(self):
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(1)
        self.port = self._listener.getsockname()[1]
        # A later com1 line in a bochsrc replaces the earlier one's mode and dev.
        self.bochs_line = "com1: enabled=1, mode=socket-client, dev=127.0.0.1:%d" % self.port
        self._connection = None
        self._connected = threading.Event()
        self._log_path = None
        self._thread = None
        self.error = None

    def record_to(self, log_path):
        """Starts copying what the machine writes into log_path (appended, flushed per read)."""
        self._log_path = log_path
        self._thread = threading.Thread(target=self._pump, daemon=True)
        self._thread.start()

    def _pump(self):
        self._listener.settimeout(CONNECT_TIMEOUT_S)
        try:
            self._connection, _ = self._listener.accept()
        except OSError as error:
            self.error = "Bochs never connected to 127.0.0.1:%d: %s" % (self.port, error)
            return
        finally:
            self._connected.set()
        with open(self._log_path, "ab", buffering=0) as log:
            while True:
                try:
                    data = self._connection.recv(4096)
                except OSError:
                    return
                if not data:
                    return
                log.write(data)

    def type(self, text, delay_s=0.01):
        """Sends text to the machine's UART, a byte at a time (as typed: the UART has a small FIFO)."""
        if not self._connected.wait(CONNECT_TIMEOUT_S) or self._connection is None:
            raise ConnectionError(self.error or "Bochs is not connected")
        for byte in text.encode():
            self._connection.sendall(bytes([byte]))
            time.sleep(delay_s)

    def close(self):
        for sock in (self._connection, self._listener):
            if sock is not None:
                try:
                    sock.close()
                except OSError:
                    pass
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
