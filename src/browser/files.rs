//! Files the user saves or opens from the popup: an OPML export downloaded through a Blob
//! URL, an OPML import read from an `<input type="file">`.
//!
//! <https://developer.mozilla.org/docs/Web/API/URL/createObjectURL_static>,
//! <https://developer.mozilla.org/docs/Web/API/Blob/text>

use super::{js_message, port_error};
use crate::ports::PortError;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, HtmlInputElement, Url};

/// Offer `text` as a download named `filename`.
pub fn save_text(filename: &str, mime_type: &str, text: &str) -> Result<(), PortError> {
    let parts = js_sys::Array::of1(&text.into());
    let options = BlobPropertyBag::new();
    options.set_type(mime_type);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options).map_err(port_error)?;
    let url = Url::create_object_url_with_blob(&blob).map_err(port_error)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| PortError("no document".into()))?;
    let a: HtmlAnchorElement = document.create_element("a").map_err(port_error)?.unchecked_into();
    a.set_href(&url);
    a.set_download(filename);
    a.click();
    // The URL is not revoked: the download reads it after this returns, and the popup's
    // page (with its blobs) is gone as soon as it closes.
    Ok(())
}

/// The text of the file chosen in `input`, if any.
pub async fn read_chosen(input: &HtmlInputElement) -> Result<Option<String>, PortError> {
    let Some(file) = input.files().and_then(|f| f.get(0)) else { return Ok(None) };
    let text = JsFuture::from(file.text()).await.map_err(|e| PortError(js_message(&e)))?;
    Ok(text.as_string())
}
