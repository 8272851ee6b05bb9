"""What can go wrong between us and a printer, in two kinds the user acts on differently."""


class PrinterError(Exception):
    """A document did not reach the printer; the message is technical, for logs and details."""


class PrinterUnreachable(PrinterError):
    """No connection: the printer is off, not on the network, or the address is wrong."""


class PrinterRefused(PrinterError):
    """The printer (or print server) answered and refused the job."""
