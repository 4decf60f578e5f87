package browser

// frameAllowed reports whether r's frame may be filled: the top frame, a frame of the
// top page's origin, or a frame origin the person allowed on that site.
func (s *Server) frameAllowed(r *Request) bool {
	if FrameAllowed(r.URL, r.TopURL) {
		return true
	}
	return s.o.Sites != nil && s.o.Sites.FrameAllowed(r.URL, r.TopURL)
}

// topURL is the address of the page the tab shows.
func topURL(r *Request) string {
	if r.TopURL != "" {
		return r.TopURL
	}
	return r.URL
}

// site answers ActionSite and ActionSetSite. Changes come only from the top frame or
// the popup (no TopURL): a framed page must not be able to allow itself.
func (s *Server) site(r *Request) *Response {
	if r.Action == ActionSetSite {
		if r.TopURL != "" {
			return &Response{Error: CodeNoMatch, Message: "only the page itself can change its site's settings"}
		}
		if r.FillOnLoad == nil && r.AllowFrame == "" {
			return &Response{Error: CodeBadRequest, Message: "the request changes nothing"}
		}
		if s.o.Sites == nil {
			return &Response{Error: CodeFailed, Message: "site settings are not available"}
		}
		if err := s.changeSite(r); err != nil {
			return failure(err)
		}
	}
	if s.o.Sites == nil {
		return &Response{}
	}
	st := s.o.Sites.Get(topURL(r))
	return &Response{FillOnLoad: st.FillOnLoad, Frames: st.Frames}
}

func (s *Server) changeSite(r *Request) error {
	if r.AllowFrame != "" {
		if err := s.o.Sites.AllowFrame(r.URL, r.AllowFrame); err != nil {
			return err
		}
	}
	if r.FillOnLoad != nil {
		return s.o.Sites.SetFillOnLoad(r.URL, *r.FillOnLoad)
	}
	return nil
}

// loadFill answers a page that just loaded: the credentials of its only matching
// login when the person turned fill on page load on for the site, nothing otherwise
// (several matches mean the person must choose).
func (s *Server) loadFill(r *Request) *Response {
	if s.o.Sites == nil || !s.o.Sites.Get(topURL(r)).FillOnLoad {
		return &Response{}
	}
	logins, err := s.o.Core.FindLogins(r.URL)
	if err != nil {
		return failure(err)
	}
	if len(logins) != 1 {
		return &Response{}
	}
	cr, err := s.credentialsFor(&Request{Ref: logins[0].Ref, URL: r.URL})
	if err != nil {
		return failure(err)
	}
	return &Response{Ref: logins[0].Ref, Username: cr.Username, Password: cr.Password, TOTP: cr.TOTP}
}
