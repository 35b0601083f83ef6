//! The current time: `Date.now()`.
//!
//! <https://developer.mozilla.org/docs/Web/JavaScript/Reference/Global_Objects/Date/now>

use crate::core::store::Millis;
use crate::ports::Clock;

pub struct BrowserClock;

impl Clock for BrowserClock {
    fn now(&self) -> Millis {
        js_sys::Date::now() as Millis
    }
}
