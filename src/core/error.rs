//! The failure of a port: a browser API call that did not work (a storage quota, a closed
//! channel, an aborted transaction...), as the browser worded it.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortError(pub String);

impl fmt::Display for PortError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PortError {}
