// Sharing an article: a Facebook link, a Zalo button and "copy link", with no
// third-party script. The page's address is the canonical one when the build
// knew it (data-url), else the address the reader opened. Zalo has no share
// address of its own without its SDK: the phone's share sheet (Web Share API)
// lists it; where there is none, the link is copied to paste into Zalo.

const box = document.querySelector(".share");
if (box) {
  const url = box.dataset.url || location.href.split("#")[0];
  const title = document.querySelector("h1")?.textContent.trim() || document.title;
  const status = box.querySelector(".share-status");
  const facebook = box.querySelector(".share-facebook");
  facebook.href = `https://www.facebook.com/sharer/sharer.php?u=${encodeURIComponent(url)}`;

  const say = (text) => {
    status.textContent = text;
  };

  // The address on the clipboard; false when the browser refuses (not https).
  async function copied() {
    try {
      await navigator.clipboard.writeText(url);
      return true;
    } catch {
      return false;
    }
  }

  box.querySelector(".share-copy").addEventListener("click", async () => {
    say((await copied()) ? "Đã chép liên kết." : `Chép liên kết này: ${url}`);
  });
  box.querySelector(".share-zalo").addEventListener("click", async () => {
    if (navigator.share) {
      try {
        await navigator.share({ title, url });
        return;
      } catch (error) {
        if (error.name === "AbortError") return; // the reader closed the sheet
      }
    }
    say((await copied()) ? "Đã chép liên kết: mở Zalo và dán vào cuộc trò chuyện." : `Chép liên kết này để gửi qua Zalo: ${url}`);
  });
  for (const button of box.querySelectorAll("button")) button.hidden = false;
}
