package account

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/valvpm/valv/cloud/api"
)

// The attachment calls: sealed chunks go up and down as raw bytes, one chunk a
// request, exactly as the vault stores them (the client never sees inside).

// PutChunk uploads sealed chunk n of attachment att for the vault of key epoch epoch.
// Sending a chunk again is harmless.
func (c *Client) PutChunk(ctx context.Context, epoch uint64, att string, n int, sealed []byte) error {
	path := api.ChunkPath(att, n) + "?epoch=" + strconv.FormatUint(epoch, 10)
	return c.send(ctx, http.MethodPut, path, nil, api.ContentTypeChunk, sealed, true, func(resp *http.Response) error {
		return decodeResponse(resp, nil)
	})
}

// GetChunk downloads sealed chunk n of attachment att (ErrChunkNotFound when the cloud
// has none). An answer larger than any chunk is refused unread.
func (c *Client) GetChunk(ctx context.Context, att string, n int) ([]byte, error) {
	var out []byte
	err := c.send(ctx, http.MethodGet, api.ChunkPath(att, n), http.Header{"Accept": {api.ContentTypeChunk}}, "", nil, true, func(resp *http.Response) error {
		if resp.StatusCode != http.StatusOK {
			return decodeResponse(resp, nil)
		}
		defer resp.Body.Close()
		data, err := io.ReadAll(io.LimitReader(resp.Body, api.MaxChunkBytes+1))
		if err != nil {
			return fmt.Errorf("%w (%v)", ErrServerUnreachable, err)
		}
		if len(data) > api.MaxChunkBytes {
			return fmt.Errorf("%w: a part of a file was larger than any can be", ErrServer)
		}
		out = data
		return nil
	})
	return out, err
}

// ChunkList says which chunks of attachment att the cloud holds, so an interrupted
// upload sends only the others.
func (c *Client) ChunkList(ctx context.Context, att string) (*api.AttachmentInfo, error) {
	var r api.AttachmentInfo
	return &r, c.do(ctx, http.MethodGet, api.AttachmentPath(att), nil, &r, true)
}

// DeleteAttachment removes every chunk of attachment att from the cloud (no error when
// there are none).
func (c *Client) DeleteAttachment(ctx context.Context, att string) error {
	return c.do(ctx, http.MethodDelete, api.AttachmentPath(att), nil, nil, true)
}
