// field: what the tablet takes from the device: the position (GPS stamp) and photos.

/** How long to wait for a GPS fix before using the fallback. */
const GPS_TIMEOUT_MS = 6000;
/** Photos are scaled down to this long side before they are queued: a field network is slow. */
const MAX_SIDE = 1600;

/**
 * The device position {lon, lat, accuracy, source: 'gps'}, or fallback (with source 'fallback')
 * when geolocation is refused, unavailable or too slow; null if there is neither.
 */
export function locate(fallback = null) {
  return new Promise((resolve) => {
    const useFallback = () => resolve(fallback ? { ...fallback, source: 'fallback' } : null);
    if (!navigator.geolocation) {
      useFallback();
      return;
    }
    // our own timer too: a permission prompt nobody answers never calls back
    const timer = setTimeout(useFallback, GPS_TIMEOUT_MS + 500);
    navigator.geolocation.getCurrentPosition((p) => {
      clearTimeout(timer);
      resolve({
        lon: Math.round(p.coords.longitude * 1e6) / 1e6,
        lat: Math.round(p.coords.latitude * 1e6) / 1e6,
        accuracy: Math.round(p.coords.accuracy),
        source: 'gps',
      });
    }, () => {
      clearTimeout(timer);
      useFallback();
    }, { enableHighAccuracy: true, timeout: GPS_TIMEOUT_MS, maximumAge: 60000 });
  });
}

/**
 * A photo ready to queue: a JPEG no larger than MAX_SIDE on its long side. A file the browser
 * cannot decode is kept as it is (the server checks the content and says why it refuses it).
 */
export async function preparePhoto(file) {
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    if (scale === 1 && file.type === 'image/jpeg' && file.size < 1.5e6) {
      bitmap.close();
      return { blob: file, name: file.name };
    }
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
    return { blob: blob || file, name: file.name.replace(/\.\w+$/, '') + '.jpg' };
  } catch (e) {
    return { blob: file, name: file.name };
  }
}

/**
 * A photo picker: the file input (camera on a tablet) and previews with a remove button.
 * Returns {photos(), clear()}; photos() are the prepared {blob, name} in the order taken.
 */
export function photoPicker(input, previews) {
  let photos = [];
  const render = () => {
    previews.replaceChildren(...photos.map((p, i) => {
      const fig = document.createElement('figure');
      fig.className = 'photo';
      const img = document.createElement('img');
      img.src = p.url;
      img.alt = p.name;
      const x = document.createElement('button');
      x.type = 'button';
      x.className = 'photo-remove';
      x.textContent = '×';
      x.addEventListener('click', () => {
        URL.revokeObjectURL(p.url);
        photos.splice(i, 1);
        render();
      });
      fig.append(img, x);
      return fig;
    }));
    previews.dataset.count = String(photos.length);
  };
  input.addEventListener('change', async () => {
    const files = [...input.files];
    input.value = '';
    for (const f of files) {
      const p = await preparePhoto(f);
      photos.push({ ...p, url: URL.createObjectURL(p.blob) });
    }
    render();
  });
  return {
    photos: () => photos.map(({ blob, name }) => ({ blob, name })),
    clear: () => {
      photos.forEach((p) => URL.revokeObjectURL(p.url));
      photos = [];
      render();
    },
  };
}
