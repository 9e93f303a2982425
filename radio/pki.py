"""A small certificate authority for a test or a small deployment: a province CA, server and client certificates.

A province with its own PKI (a Sở TTTT CA, or a public CA for the web) does not need this: give the broker and
the web its certificate and key, and the nodes the CA bundle (docs/deploy.md, "TLS"). This module exists so that
a deployment without one, and every test, can run real TLS with certificates it made itself. Keys are ECDSA
P-256 (small, fast handshakes on a node's CPU); files are PEM, private keys written 0600.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_DAYS = 3650
LEAF_DAYS = 825  # the longest validity browsers accept for a server certificate


class PkiError(ValueError):
    """A CA or certificate file is missing or does not fit."""


@dataclass(frozen=True)
class CertFiles:
    """Where a certificate and its private key were written."""

    cert: Path
    key: Path


@dataclass(frozen=True)
class CertificateAuthority:
    """A CA held in memory: its certificate and private key (load it with `load_ca`, make it with `create_ca`)."""

    cert: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    @property
    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _write(path: Path, data: bytes, *, private: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.chmod(0o600 if private else 0o644)
    tmp.replace(path)


def create_ca(common_name: str = "Commune Radio CA", *, days: int = CA_DAYS) -> CertificateAuthority:
    """A new self-signed CA that may sign end-entity certificates only (path length 0)."""
    key = _new_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = _now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                     content_commitment=False, key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return CertificateAuthority(cert, key)


def _san(names: Iterable[str]) -> x509.SubjectAlternativeName:
    entries: list[x509.GeneralName] = []
    for name in names:
        try:
            entries.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            entries.append(x509.DNSName(name))
    return x509.SubjectAlternativeName(entries)


def issue(ca: CertificateAuthority, common_name: str, *, hosts: Iterable[str] = (), client: bool = False,
          days: int = LEAF_DAYS) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    """A certificate signed by `ca`: a server one for `hosts` (DNS names or IP addresses, checked by clients
    against the name they connect to), or a client one (`client=True`, e.g. for mutual TLS to a bridge)."""
    hosts = list(hosts)
    if not client and not hosts:
        raise PkiError("a server certificate needs at least one host name or address")
    key = _new_key()
    now = _now()
    usage = ExtendedKeyUsageOID.CLIENT_AUTH if client else ExtendedKeyUsageOID.SERVER_AUTH
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]))
        .issuer_name(ca.cert.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_encipherment=False, key_cert_sign=False,
                                     crl_sign=False, content_commitment=False, data_encipherment=False,
                                     key_agreement=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
    )
    if hosts:
        builder = builder.add_extension(_san(hosts), critical=False)
    return builder.sign(ca.key, hashes.SHA256()), key


# --- files: what `radio pki` and the tests use ---------------------------------------------------------------
def ca_paths(directory: Path) -> CertFiles:
    return CertFiles(directory / "ca.crt", directory / "ca.key")


def init_ca(directory: Path, common_name: str = "Commune Radio CA", *, force: bool = False) -> CertFiles:
    """Make a CA in `directory` (ca.crt public, ca.key private); refuses to replace one unless `force`."""
    paths = ca_paths(directory)
    if paths.cert.exists() and not force:
        raise PkiError(f"{paths.cert} exists: a new CA would invalidate every certificate it signed (use --force)")
    ca = create_ca(common_name)
    _write(paths.key, _key_pem(ca.key), private=True)
    _write(paths.cert, ca.cert_pem, private=False)
    return paths


def load_ca(directory: Path) -> CertificateAuthority:
    paths = ca_paths(directory)
    try:
        cert = x509.load_pem_x509_certificate(paths.cert.read_bytes())
        key = serialization.load_pem_private_key(paths.key.read_bytes(), password=None)
    except (OSError, ValueError) as exc:
        raise PkiError(f"cannot load the CA in {directory}: {exc}") from exc
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise PkiError(f"{paths.key}: not an EC private key")
    return CertificateAuthority(cert, key)


def issue_files(ca_dir: Path, name: str, out_dir: Path, *, hosts: Iterable[str] = (),
                client: bool = False) -> CertFiles:
    """Issue `name` with the CA in `ca_dir`; write `out_dir/name.crt` (leaf then CA: a full chain) and
    `out_dir/name.key`."""
    if not name or "/" in name or name.startswith("."):
        raise PkiError(f"bad certificate name {name!r}")
    ca = load_ca(ca_dir)
    cert, key = issue(ca, name, hosts=hosts, client=client)
    files = CertFiles(out_dir / f"{name}.crt", out_dir / f"{name}.key")
    _write(files.key, _key_pem(key), private=True)
    _write(files.cert, cert.public_bytes(serialization.Encoding.PEM) + ca.cert_pem, private=False)
    return files


@dataclass(frozen=True)
class TestPki:
    """A CA and one server certificate in a directory: what a test needs for a real TLS broker and web."""

    ca: CertFiles
    server: CertFiles


def make_test_pki(directory: Path, hosts: Iterable[str] = ("localhost", "127.0.0.1"),
                  common_name: str = "Commune Radio test CA") -> TestPki:
    """A throw-away CA and a server certificate for `hosts` (tests, benchmarks)."""
    ca = init_ca(directory, common_name, force=True)
    server = issue_files(directory, "server", directory, hosts=hosts)
    return TestPki(ca, server)
