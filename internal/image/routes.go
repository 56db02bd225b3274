package image

import "github.com/monostack/monostack/internal/httpx"

// addRoutes is the image route table.
func (s *Service) addRoutes(rt *httpx.Router) {
	pub := httpx.Public
	rt.Handle("GET", "/{$}", s.versions, pub)
	rt.Handle("GET", "/versions", s.versions, pub)

	rt.Handle("GET", "/v2/images", s.listImages)
	rt.Handle("POST", "/v2/images", s.createImage)
	rt.Handle("GET", "/v2/images/{image_id}", s.showImage)
	rt.Handle("DELETE", "/v2/images/{image_id}", s.deleteImage)
	rt.Handle("PUT", "/v2/images/{image_id}/file", s.uploadImage, httpx.Stream)
	rt.Handle("GET", "/v2/images/{image_id}/file", s.downloadImage)
}
