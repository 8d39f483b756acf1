// Hands a file to the browser's downloads (on Android it lands in Downloads): an <a download>
// with an object URL, clicked once. The URL stays valid so the screen can offer "Unduh lagi";
// the caller revokes it when the screen closes.
export function downloadBlob(blob: Blob, fileName: string): string {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  return url;
}
