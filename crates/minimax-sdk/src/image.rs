//! Image generation ([`Client::image`]): text to image and image to image
//! (subject reference), as URLs or base64 data, with helpers that save them.
//!
//! ```no_run
//! # async fn run() -> Result<(), minimax_sdk::Error> {
//! use minimax_sdk::{types, Client};
//!
//! let client = Client::from_env()?;
//! let request = types::ImageGenerationReq::builder()
//!     .model("image-01")
//!     .prompt("A lighthouse on a cliff at dusk, oil painting")
//!     .aspect_ratio("16:9".to_owned())
//!     .n(2);
//! let images = client.image().generate(request).await?;
//! for path in images.save_all("lighthouses").await? {
//!     println!("saved {}", path.display());
//! }
//! # Ok(()) }
//! ```

use std::fmt;
use std::fmt::Display;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use bytes::Bytes;
use minimax_api::{types, Count};

use crate::client::Client;
use crate::download::{host_of, save_bytes};
use crate::error::Error;
use crate::response::{missing, Response};

impl Client {
    /// Image generation.
    pub fn image(&self) -> Image<'_> {
        Image { client: self }
    }
}

/// Image generation, from [`Client::image`].
#[derive(Debug, Clone, Copy)]
pub struct Image<'a> {
    client: &'a Client,
}

/// One generated image.
#[derive(Clone, PartialEq, Eq)]
pub enum GeneratedImage {
    /// A URL serving the image (`response_format: "url"`, the default);
    /// valid for 24 hours.
    Url(String),
    /// The image itself, decoded from base64 (`response_format: "base64"`).
    Data(Bytes),
}

impl fmt::Debug for GeneratedImage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // A pre-signed URL grants access to the image; show its host only.
            GeneratedImage::Url(url) => {
                write!(f, "GeneratedImage::Url(https://{}/…)", host_of(url))
            }
            GeneratedImage::Data(data) => write!(f, "GeneratedImage::Data({} bytes)", data.len()),
        }
    }
}

impl GeneratedImage {
    /// The URL, for a URL image.
    pub fn url(&self) -> Option<&str> {
        match self {
            GeneratedImage::Url(url) => Some(url),
            GeneratedImage::Data(_) => None,
        }
    }

    /// The bytes, for a base64 image.
    pub fn data(&self) -> Option<&Bytes> {
        match self {
            GeneratedImage::Data(data) => Some(data),
            GeneratedImage::Url(_) => None,
        }
    }

    /// The file extension the image should be saved with: from the data's
    /// signature (PNG, JPEG, WebP) or the URL's path, else `jpeg`.
    pub fn extension(&self) -> &str {
        match self {
            GeneratedImage::Data(data) => {
                if data.starts_with(b"\x89PNG") {
                    "png"
                } else if data.len() >= 12 && &data[..4] == b"RIFF" && &data[8..12] == b"WEBP" {
                    "webp"
                } else {
                    "jpeg"
                }
            }
            GeneratedImage::Url(url) => reqwest::Url::parse(url)
                .ok()
                .and_then(|url| {
                    let name = url.path_segments()?.next_back()?.to_owned();
                    let (_, extension) = name.rsplit_once('.')?;
                    let extension = extension.to_ascii_lowercase();
                    ["png", "jpg", "jpeg", "webp"]
                        .into_iter()
                        .find(|known| *known == extension)
                })
                .unwrap_or("jpeg"),
        }
    }
}

/// The result of [`Image::generate`]: the images, and helpers that save
/// them through the client (URLs are downloaded without the API key).
#[derive(Clone)]
#[non_exhaustive]
pub struct GeneratedImages {
    /// The request id.
    pub id: Option<String>,
    /// The images, in order.
    pub images: Vec<GeneratedImage>,
    /// How many images were generated.
    pub success_count: Option<u32>,
    /// How many images could not be generated (refused by moderation, …).
    pub failed_count: Option<u32>,
    client: Client,
}

impl fmt::Debug for GeneratedImages {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GeneratedImages")
            .field("id", &self.id)
            .field("images", &self.images)
            .field("success_count", &self.success_count)
            .field("failed_count", &self.failed_count)
            .finish_non_exhaustive()
    }
}

impl GeneratedImages {
    /// The number of images.
    pub fn len(&self) -> usize {
        self.images.len()
    }

    /// Whether no image was generated.
    pub fn is_empty(&self) -> bool {
        self.images.is_empty()
    }

    /// Saves image `index` to `path` atomically (a temporary file renamed
    /// into place): a URL is downloaded through the client (proxy, TLS,
    /// timeouts and retries apply; the API key is not sent), base64 data is
    /// written directly. Returns the number of bytes written.
    ///
    /// Errors: [`Error::InvalidArgument`] for an index out of range,
    /// [`Error::Io`], and the download's errors.
    pub async fn save(&self, index: usize, path: impl AsRef<Path>) -> Result<u64, Error> {
        let image = self.images.get(index).ok_or_else(|| {
            Error::InvalidArgument(format!(
                "image index {index} is out of range: {} images",
                self.images.len()
            ))
        })?;
        save_image(&self.client, image, path.as_ref()).await
    }

    /// The file name [`GeneratedImages::save_all`] gives image `index`:
    /// `image-<id>-<n>.<extension>`, numbered from 1, with only the ASCII
    /// letters, digits, `-` and `_` of the request id (at most 64 of them),
    /// or `image-<n>.<extension>` without a usable id. `None` for an index
    /// out of range.
    pub fn file_name(&self, index: usize) -> Option<String> {
        let image = self.images.get(index)?;
        let id: String = self
            .id
            .as_deref()
            .unwrap_or_default()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .take(64)
            .collect();
        let number = index + 1;
        let extension = image.extension();
        Some(if id.is_empty() {
            format!("image-{number}.{extension}")
        } else {
            format!("image-{id}-{number}.{extension}")
        })
    }

    /// Saves every image into `directory` (created if missing) under its
    /// [`GeneratedImages::file_name`], each atomically, replacing a file of
    /// the same name. Returns the paths in order.
    pub async fn save_all(&self, directory: impl AsRef<Path>) -> Result<Vec<PathBuf>, Error> {
        let directory = directory.as_ref();
        tokio::fs::create_dir_all(directory)
            .await
            .map_err(|source| Error::io("create the directory", directory, source))?;
        let mut paths = Vec::with_capacity(self.images.len());
        for (index, image) in self.images.iter().enumerate() {
            let Some(name) = self.file_name(index) else {
                break;
            };
            let path = directory.join(name);
            save_image(&self.client, image, &path).await?;
            paths.push(path);
        }
        Ok(paths)
    }
}

async fn save_image(client: &Client, image: &GeneratedImage, path: &Path) -> Result<u64, Error> {
    match image {
        GeneratedImage::Url(url) => {
            client
                .download(url)
                .operation("download_image")
                .to_path(path)
                .await
        }
        GeneratedImage::Data(data) => save_bytes("save_image", data, path).await,
    }
}

/// Decodes a base64 image, with or without a `data:…;base64,` prefix.
fn decode_base64(text: &str) -> Result<Bytes, Error> {
    let text = text.trim();
    let payload = match text.split_once(";base64,") {
        Some((prefix, payload)) if prefix.starts_with("data:") => payload,
        _ => text,
    };
    base64::engine::general_purpose::STANDARD
        .decode(payload)
        .map(Bytes::from)
        .map_err(|error| {
            Error::decode(
                "image_generation",
                format!("an image is not valid base64: {error}"),
                None,
                text.as_bytes(),
            )
        })
}

/// A count the API sent (as a string, `"2"`, or a number), when it is one
/// that fits.
fn count(count: Option<&Count>) -> Option<u32> {
    count
        .and_then(Count::get)
        .and_then(|count| u32::try_from(count).ok())
}

impl<'a> Image<'a> {
    /// Generates images: `POST /v1/image_generation`.
    ///
    /// `request` is a [`types::ImageGenerationReq`] or its builder: model
    /// (`image-01`), prompt, `aspect_ratio` or `width`/`height` (512–2048,
    /// multiples of 8), `n` (1–9), `response_format` (`url`, the default,
    /// or `base64`), `subject_reference` for image to image. A paid
    /// request.
    ///
    /// Returns the images (URLs valid 24 hours, or decoded bytes) with
    /// the success and failure counts; save them with
    /// [`GeneratedImages::save_all`] or [`GeneratedImages::save`]. Errors:
    /// [`Error::InvalidArgument`], [`Error::Api`] (1026 sensitive prompt,
    /// 2013 invalid parameters, …), [`Error::Decode`] when a success body
    /// has no images and reports no failure, or an image is not base64.
    ///
    /// Docs: <https://platform.minimax.io/docs/api-reference/image-generation-t2i>
    pub async fn generate<R>(&self, request: R) -> Result<Response<GeneratedImages>, Error>
    where
        R: TryInto<types::ImageGenerationReq>,
        R::Error: Display,
    {
        const OPERATION: &str = "image_generation";
        let response = self
            .client
            .call_traced(
                OPERATION,
                self.client.raw().image_generation().body(request).send(),
            )
            .await?;
        let data = response.data.clone().unwrap_or_default();
        let mut images: Vec<GeneratedImage> = data
            .image_urls
            .unwrap_or_default()
            .into_iter()
            .filter(|url| !url.trim().is_empty())
            .map(GeneratedImage::Url)
            .collect();
        for encoded in data.image_base64.unwrap_or_default() {
            if !encoded.trim().is_empty() {
                images.push(GeneratedImage::Data(decode_base64(&encoded)?));
            }
        }
        let metadata = response.metadata.clone().unwrap_or_default();
        let failed_count = count(metadata.failed_count.as_ref());
        let success_count = count(metadata.success_count.as_ref());
        if images.is_empty() && failed_count.unwrap_or(0) == 0 {
            return Err(missing(
                OPERATION,
                "`data.image_urls` or `data.image_base64`",
                &response,
            ));
        }
        let client = self.client.clone();
        Ok(response.map(|body| GeneratedImages {
            id: body.id,
            images,
            success_count,
            failed_count,
            client,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_numbered_from_one_and_safe() {
        let client = Client::builder().api_key("k").build().unwrap();
        let url = GeneratedImage::Url("https://cdn.example/x/photo.png?sig=1".to_owned());
        let data = GeneratedImage::Data(Bytes::from_static(b"\xFF\xD8\xFF\xE0"));
        let mut images = GeneratedImages {
            id: Some("03ff/../x".to_owned()),
            images: vec![url, data],
            success_count: None,
            failed_count: None,
            client,
        };
        assert_eq!(images.file_name(0).as_deref(), Some("image-03ffx-1.png"));
        assert_eq!(images.file_name(1).as_deref(), Some("image-03ffx-2.jpeg"));
        assert_eq!(images.file_name(2), None);
        images.id = Some("a".repeat(100));
        assert_eq!(
            images.file_name(0),
            Some(format!("image-{}-1.png", "a".repeat(64)))
        );
        for id in [None, Some("//..".to_owned())] {
            images.id = id;
            assert_eq!(images.file_name(0).as_deref(), Some("image-1.png"));
        }
    }

    #[test]
    fn extensions_come_from_the_data_or_the_url() {
        let png = GeneratedImage::Data(Bytes::from_static(b"\x89PNG\r\n\x1a\n"));
        assert_eq!(png.extension(), "png");
        let webp = GeneratedImage::Data(Bytes::from_static(b"RIFF\0\0\0\0WEBPVP8 "));
        assert_eq!(webp.extension(), "webp");
        let jpeg = GeneratedImage::Data(Bytes::from_static(b"\xFF\xD8\xFF\xE0"));
        assert_eq!(jpeg.extension(), "jpeg");
        let url = GeneratedImage::Url("https://cdn.example/a/b.PNG?Signature=x".into());
        assert_eq!(url.extension(), "png");
        let bare = GeneratedImage::Url("https://cdn.example/a/b?x=1".into());
        assert_eq!(bare.extension(), "jpeg");
        assert!(!format!("{url:?}").contains("Signature"));
    }

    #[test]
    fn base64_with_and_without_a_data_prefix() {
        assert_eq!(
            decode_base64("aGVsbG8=").ok(),
            Some(Bytes::from_static(b"hello"))
        );
        assert_eq!(
            decode_base64("data:image/jpeg;base64,aGVsbG8=").ok(),
            Some(Bytes::from_static(b"hello"))
        );
        assert!(matches!(decode_base64("%%%"), Err(Error::Decode { .. })));
        assert_eq!(count(Some(&" 3 ".parse().unwrap())), Some(3));
        assert_eq!(count(Some(&Count::from(4))), Some(4));
        assert_eq!(count(Some(&"x".parse().unwrap())), None);
        assert_eq!(count(Some(&Count::from(u64::from(u32::MAX) + 1))), None);
        assert_eq!(count(None), None);
    }
}
