//! IP networks and interfaces as Python's `ipaddress` reads and writes them:
//! pydantic's `IPv4Network`, `IPv6Network`, `IPvAnyNetwork` and the
//! `...Interface` types. (Addresses are `std::net`'s own types.)
//!
//! A network is `address/prefix` with no host bits set; an interface is an
//! address with the prefix of its network. Both read `address` alone (the
//! full prefix), `address/prefix`, for IPv4 `address/netmask` and
//! `address/hostmask`, and an integer (one address); both write
//! `address/prefix`.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::validation::{lax, Kind};

/// An address type a network can hold.
trait Family: Copy + fmt::Display {
    /// `Some(true)` IPv6, `Some(false)` IPv4, `None` either.
    const V6: Option<bool>;
    fn from_ip(ip: IpAddr) -> Option<Self>;
}

impl Family for Ipv4Addr {
    const V6: Option<bool> = Some(false);
    fn from_ip(ip: IpAddr) -> Option<Self> {
        match ip {
            IpAddr::V4(a) => Some(a),
            IpAddr::V6(_) => None,
        }
    }
}

impl Family for Ipv6Addr {
    const V6: Option<bool> = Some(true);
    fn from_ip(ip: IpAddr) -> Option<Self> {
        match ip {
            IpAddr::V6(a) => Some(a),
            IpAddr::V4(_) => None,
        }
    }
}

impl Family for IpAddr {
    const V6: Option<bool> = None;
    fn from_ip(ip: IpAddr) -> Option<Self> {
        Some(ip)
    }
}

macro_rules! ip_net {
    ($(#[$doc:meta])* $name:ident, $addr:ty, $interface:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $name {
            address: $addr,
            prefix: u8,
        }

        impl $name {
            /// Reads it as Python's `ipaddress` does (see the module's text).
            pub fn parse(raw: &str) -> Result<Self, Kind> {
                Self::read(lax::IpInput::Text(raw))
            }

            fn read(input: lax::IpInput<'_>) -> Result<Self, Kind> {
                let v6 = <$addr as Family>::V6;
                let (ip, prefix) = lax::parse_ip_net(input, v6, $interface)?;
                let address = <$addr as Family>::from_ip(ip)
                    .ok_or_else(|| crate::validation::kinds::ip_network(v6, $interface))?;
                Ok($name { address, prefix })
            }

            /// The address (a network's first address).
            pub fn address(&self) -> $addr {
                self.address
            }

            /// The prefix length.
            pub fn prefix(&self) -> u8 {
                self.prefix
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}/{}", self.address, self.prefix)
            }
        }

        impl std::str::FromStr for $name {
            type Err = Kind;
            fn from_str(s: &str) -> Result<Self, Kind> {
                Self::parse(s)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #[derive(Deserialize)]
                #[serde(untagged)]
                enum Raw {
                    Bool(bool),
                    Int(u64),
                    Text(String),
                }
                let read = match Raw::deserialize(deserializer)? {
                    // Python's `bool` is an `int`.
                    Raw::Bool(b) => Self::read(lax::IpInput::Int(i128::from(b))),
                    Raw::Int(n) => Self::read(lax::IpInput::Int(i128::from(n))),
                    Raw::Text(s) => Self::parse(&s),
                };
                read.map_err(|k| serde::de::Error::custom(k.msg))
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn inline_schema() -> bool {
                true
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                let format = lax::ip_net_format_of(<$addr as Family>::V6, $interface);
                schemars::json_schema!({"type": "string", "format": format})
            }
        }

        impl crate::extract::ParamValue for $name {
            fn parse(raw: &str, _: &crate::extract::Constraints) -> Result<Self, Kind> {
                Self::parse(raw)
            }
        }
    };
}

ip_net!(
    /// pydantic's `IPv4Network` (`ipaddress.IPv4Network`): `10.0.0.0/8`.
    Ipv4Network,
    Ipv4Addr,
    false
);
ip_net!(
    /// pydantic's `IPv6Network` (`ipaddress.IPv6Network`): `fe80::/10`.
    Ipv6Network,
    Ipv6Addr,
    false
);
ip_net!(
    /// pydantic's `IPvAnyNetwork`: an IPv4 network if it reads as one, else IPv6.
    IpNetwork,
    IpAddr,
    false
);
ip_net!(
    /// pydantic's `IPv4Interface` (`ipaddress.IPv4Interface`): `10.0.0.1/8`.
    Ipv4Interface,
    Ipv4Addr,
    true
);
ip_net!(
    /// pydantic's `IPv6Interface` (`ipaddress.IPv6Interface`).
    Ipv6Interface,
    Ipv6Addr,
    true
);
ip_net!(
    /// pydantic's `IPvAnyInterface`: an IPv4 interface if it reads as one, else IPv6.
    IpInterface,
    IpAddr,
    true
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_as_python() {
        for (raw, out) in [
            ("10.0.0.0/8", "10.0.0.0/8"),
            ("10.0.0.0/255.0.0.0", "10.0.0.0/8"),
            ("10.0.0.0/0.255.255.255", "10.0.0.0/8"),
            ("10.0.0.0/08", "10.0.0.0/8"),
            ("1.2.3.4", "1.2.3.4/32"),
            ("0.0.0.0/0", "0.0.0.0/0"),
        ] {
            assert_eq!(Ipv4Network::parse(raw).unwrap().to_string(), out, "{raw}");
        }
        for raw in [
            "10.0.0.1/8",
            "10.0.0.0/",
            "10.0.0.0/33",
            "10.0.0.0/255.0.255.0",
            "::/0",
        ] {
            assert_eq!(
                Ipv4Network::parse(raw).unwrap_err().kind,
                "ip_v4_network",
                "{raw}"
            );
        }
        assert_eq!(
            Ipv4Interface::parse("10.0.0.1/8").unwrap().to_string(),
            "10.0.0.1/8"
        );
        assert_eq!(
            IpNetwork::parse("fe80::/10").unwrap().to_string(),
            "fe80::/10"
        );
        assert_eq!(
            IpInterface::parse("fe80::1/200").unwrap_err().kind,
            "ip_any_interface"
        );
        let big: IpNetwork = serde_json::from_str("1099511627776").unwrap();
        assert_eq!(big.to_string(), "::100:0:0/128");
        let one: Ipv4Network = serde_json::from_str("true").unwrap();
        assert_eq!(one.to_string(), "0.0.0.1/32");
    }
}
